import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestSystem, eventually, type TestSystem } from '../support/test-system';

const run = promisify(execFile);
function cliSync(...args: string[]): string {
  return execFileSync(process.env.TEST_TEMPORAL_CLI!, [...args, '--address', process.env.TEST_TEMPORAL_ADDRESS!], { encoding: 'utf8' });
}
async function cli(...args: string[]): Promise<string> {
  const { stdout } = await run(process.env.TEST_TEMPORAL_CLI!, [...args, '--address', process.env.TEST_TEMPORAL_ADDRESS!], { encoding: 'utf8' });
  return stdout;
}

let system: TestSystem;
const calls: Record<number, number> = {};
let failChunk5 = true;
beforeAll(async () => {
  system = await startTestSystem({
    env: { CODE_CHUNK_SIZE: '2000' },
    faults: {
      generation: {
        beforeCommit: (input, attempt) => {
          calls[input.chunkIndex!] = (calls[input.chunkIndex!] ?? 0) + 1;
          if (input.chunkIndex === 5 && failChunk5) throw new Error(`injected failure of chunk 5, attempt ${attempt}`);
        },
      },
    },
  });
});
afterAll(() => system?.stop());

it('explore', async () => {
  const res = await system.api.post('/v1/code-batches').set(system.as('operator')).send({ quantity: 20_000, length: 9, charset: 'alphanumeric' });
  const wf = res.body.workflowId;
  await eventually(async () => (calls[5] ?? 0) >= 2 && Object.keys(calls).length === 10);
  console.log(cliSync('workflow', 'describe', '--workflow-id', wf));
  console.log(cliSync('workflow', 'list', '--query', "WorkflowType='generateCodesWorkflow' AND ExecutionStatus='Running'"));
  console.log(await cli('workflow', 'query', '--workflow-id', wf, '--type', 'progress'));
  console.log(cliSync('workflow', 'reset', '--workflow-id', wf, '--type', 'FirstWorkflowTask', '--reason', 'test'));
  failChunk5 = false;
  await eventually(async () => (await system.api.get(`/v1/code-batches/${res.body.id}`).set(system.as('operator'))).body.status === 'completed');
  console.log(cliSync('workflow', 'show', '--workflow-id', wf));
  console.log(cliSync('workflow', 'describe', '--workflow-id', wf));
  console.log(calls);
  const t0 = Date.now();
  try {
    console.log(cliSync('workflow', 'query', '--workflow-id', wf, '--type', 'progress'));
  } catch (e) {
    console.log('sync query failed', Date.now() - t0, String(e));
  }
});
