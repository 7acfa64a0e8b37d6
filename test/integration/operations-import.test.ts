import { startTestSystem, eventually, type TestSystem } from '../support/test-system';
import { field, queryResult, runStatuses, temporal } from '../support/runbook-cli';
import { chunkRows, codesOf, type ChunkInput } from '../support/batch-rows';

/**
 * The operator's runbook (docs/operations.md) for code import jobs, command by command, with the real `temporal`
 * CLI against the test Temporal server. Each scenario checks the data an operator's action leaves behind, to the
 * code. Generation jobs: operations-generation.test.ts.
 */
describe('import jobs', () => {
  // Chunk 3 fails before its commit while `failChunk3` is set, and always for a terminated import (a chunk
  // attempt the worker is still running when the workflow is terminated must not commit later).
  let failChunk3 = false;
  const terminated = new Set<string>();
  const attempts = new Map<string, number>();

  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({
      env: { CODE_CHUNK_SIZE: '500' },
      faults: {
        import: {
          beforeCommit(input: ChunkInput, attempt) {
            if (input.chunkIndex !== 3) return;
            attempts.set(input.batchId!, attempt);
            if (failChunk3 || terminated.has(input.batchId!)) throw new Error(`injected failure of chunk 3 (attempt ${attempt})`);
          },
        },
      },
    });
  });
  afterAll(() => system?.stop());

  const CODES = Array.from({ length: 5000 }, (_, i) => `OPSIMP${String(i).padStart(5, '0')}`);
  const FILE = ['code', ...CODES, ''].join('\n');
  const upload = async () => {
    const res = await system.api.post('/v1/code-imports').set(system.as('operator')).set('Content-Type', 'text/csv').send(FILE);
    expect(res.status).toBe(202);
    return res.body as { id: string; workflowId: string };
  };
  const importView = async (id: string) => (await system.api.get(`/v1/code-imports/${id}`).set(system.as('operator'))).body;

  it('terminate, then upload the same file again: every code is imported exactly once', async () => {
    failChunk3 = true;
    const first = await upload();
    expect(first.workflowId).toBe(`import-codes-${first.id}`);
    await eventually(async () => (attempts.get(first.id) ?? 0) >= 2 && (await chunkRows(system, first.id)).chunks === 9);

    const stuck = await temporal('workflow', 'describe', '--workflow-id', first.workflowId);
    expect(field(stuck, 'Type')).toBe('importCodesWorkflow');
    expect(field(stuck, 'ActivityId')).toBe('chunk-3');
    expect(field(stuck, 'LastFailure')).toContain('injected failure of chunk 3');
    const running = await eventually(async () => {
      const out = await temporal('workflow', 'list', '--query', "WorkflowType='importCodesWorkflow' AND ExecutionStatus='Running'");
      return out.includes(first.workflowId) ? out : null;
    });
    expect(running).toMatch(new RegExp(`Running\\s+${first.workflowId}\\s+importCodesWorkflow`));
    expect(queryResult(await temporal('workflow', 'query', '--workflow-id', first.workflowId, '--type', 'progress'))).toEqual({
      rows: 5000,
      processed: 4500,
      imported: 4500,
      rejected: 0,
      chunksDone: 9,
      chunksTotal: 10,
    });

    const out = await temporal('workflow', 'terminate', '--workflow-id', first.workflowId, '--reason', 'test');
    expect(out).toContain('Workflow terminated');
    expect(await runStatuses(first.workflowId, ['Terminated'])).toEqual(['Terminated']);
    terminated.add(first.id);
    failChunk3 = false;

    // Terminated: no catch block ran. The import keeps saying `running` and its staged file stays.
    expect(await importView(first.id)).toMatchObject({ status: 'running', rows: 5000, imported: 4500, rejected: 0, finishedAt: null });
    const staged = await system.db.query(`select count(*)::int as n from code_import_rows where batch_id = $1`, [first.id]);
    expect(staged.rows[0].n).toBe(5000);

    // Upload the same file again: the 4,500 committed codes are reported `already_exists`, the other 500 imported.
    const second = await upload();
    const report = await eventually(async () => {
      const view = await importView(second.id);
      return view.status === 'completed' ? view : null;
    });
    expect(report).toMatchObject({ rows: 5000, imported: 500, rejected: 4500 });
    const reasons = await system.db.query(`select reason, count(*)::int as n from code_import_rejections where batch_id = $1 group by 1`, [
      second.id,
    ]);
    expect(reasons.rows).toEqual([{ reason: 'already_exists', n: 4500 }]);
    // The rows refused as already_exists are exactly those the terminated import committed.
    const mismatched = await system.db.query(
      `select count(*)::int as n
         from (select code from code_import_rejections where batch_id = $2) r
         full join (select code from codes where batch_id = $1) c on c.code = r.code
        where r.code is null or c.code is null`,
      [first.id, second.id],
    );
    expect(mismatched.rows[0].n).toBe(0);

    // Together, the two imports hold the 5,000 codes of the file, each once.
    const union = await system.db.query(
      `select count(*)::int as n, count(distinct code)::int as d, count(*) filter (where batch_id = $1)::int as first,
              count(*) filter (where batch_id = $2)::int as second
         from codes where batch_id in ($1, $2)`,
      [first.id, second.id],
    );
    expect(union.rows[0]).toEqual({ n: 5000, d: 5000, first: 4500, second: 500 });
    const all = await system.db.query(`select code from codes where batch_id in ($1, $2) order by code`, [first.id, second.id]);
    expect(all.rows.map((r) => r.code)).toEqual(CODES);

    // Closing the terminated import by hand (docs/operations.md): the same update finishBatch makes, and the
    // staged rows dropped. Its 4,500 codes stay.
    await system.db.query(
      `update code_batches set status = 'failed', error = 'workflow terminated by an operator', finished_at = now()
        where id = $1 and status in ('pending', 'running')`,
      [first.id],
    );
    await system.db.query(`delete from code_import_rows where batch_id = $1`, [first.id]);
    expect(await importView(first.id)).toMatchObject({ status: 'failed', imported: 4500, error: 'workflow terminated by an operator' });
    expect(await codesOf(system, first.id)).toEqual({ n: 4500, d: 4500 });
  });
});
