import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eventually } from './test-system';

/**
 * The `temporal` CLI as the operator's runbook (docs/operations.md) runs it, against the test Temporal server,
 * and readers of what it prints.
 *
 * The CLI runs asynchronously (execFile, not execFileSync): the worker that answers `workflow query` lives in
 * this process, and a synchronous child process would block it until the query times out.
 */
const runFile = promisify(execFile);
export async function temporal(...args: string[]): Promise<string> {
  const { stdout } = await runFile(process.env.TEST_TEMPORAL_CLI!, [...args, '--address', process.env.TEST_TEMPORAL_ADDRESS!], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** The JSON a `temporal workflow query` prints after `QueryResult`. */
export function queryResult(output: string): Record<string, number> {
  const match = /QueryResult\s+(\{.*\})/.exec(output);
  if (!match) throw new Error(`no query result in:\n${output}`);
  return JSON.parse(match[1]);
}

/** A field of `temporal workflow describe`'s text output (`RunId`, `Status`, `Attempt`, …), first occurrence. */
export function field(output: string, name: string): string | undefined {
  return new RegExp(`^[ \\t]*${name}[ \\t]+(\\S.*?)[ \\t]*$`, 'm').exec(output)?.[1];
}

/**
 * The status of every run of a workflow id, oldest first, from `temporal workflow list` (describe's text output
 * leaves `Status` blank for terminated and cancelled runs). Visibility lags a little: polls until `expected`.
 */
export async function runStatuses(workflowId: string, expected: string[]): Promise<string[]> {
  let statuses: string[] = [];
  try {
    return await eventually(async () => {
      const out = await temporal('workflow', 'list', '--query', `WorkflowId='${workflowId}'`);
      statuses = out
        .split('\n')
        .filter((l) => l.includes(workflowId))
        .map((l) => l.trim().split(/\s+/)[0])
        .reverse();
      return JSON.stringify(statuses) === JSON.stringify(expected) ? statuses : null;
    }, 15_000);
  } catch {
    return statuses;
  }
}
