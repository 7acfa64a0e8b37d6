import fs from 'node:fs';
import { Client } from 'pg';
import { isListening } from '../../runtime/processes';
import { ctrlC, killMarked, leftovers, startEnv, startUp } from '../support/start-process';

/**
 * The start process dies hard (SIGKILL, as an OOM kill or a closed terminal would) in the middle of a 300,000-code
 * generation. Its PostgreSQL and Temporal dev server keep running; the worker and the API leave with it. Running
 * the start command again finds the leftovers, stops them safely, starts, and the batch finishes exactly.
 */
it('comes back by itself after the start process is SIGKILLed mid-generation, and the batch ends exact', async () => {
  const setup = await startEnv({ CODE_CHUNK_SIZE: '10000' });
  const api = `http://127.0.0.1:${setup.env.PORT}`;
  try {
    const first = await startUp(setup.env);
    const headers = { Authorization: `Bearer ${/operator\s+(\S+)/.exec(first.output())![1]}`, 'Content-Type': 'application/json' };
    const res = await fetch(`${api}/v1/code-batches`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ quantity: 300_000, length: 12, charset: 'alphanumeric' }),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const batch = async () =>
      (await (await fetch(`${api}/v1/code-batches/${id}`, { headers })).json()) as { status: string; generated: number };

    let atKill = 0;
    while (atKill < 100_000) {
      await new Promise((r) => setTimeout(r, 100));
      atKill = (await batch()).generated;
    }
    process.kill(first.child.pid!, 'SIGKILL');
    await first.exited;
    expect(atKill).toBeLessThan(300_000);
    // The worker and the API leave with their supervisor (no orphan keeps working or holds the port)...
    for (let i = 0; i < 100 && (await isListening(Number(setup.env.PORT))); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await isListening(Number(setup.env.PORT))).toBe(false);
    // ...while PostgreSQL and the dev server are left running, as the issue saw.
    expect(await isListening(Number(setup.env.EMBEDDED_POSTGRES_PORT))).toBe(true);
    expect(await isListening(Number(setup.env.TEMPORAL_PORT))).toBe(true);

    const second = await startUp(setup.env);
    expect(second.output()).toMatch(/stopped the server a previous run left \(pid \d+\) first/);
    expect(second.output()).toMatch(/stopped the one a previous run left \(pid \d+\) first/);
    let status = '';
    for (let i = 0; i < 1200 && status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await batch()).status;
    }
    expect(await batch()).toMatchObject({ status: 'completed', generated: 300_000 });
    const db = new Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${setup.env.EMBEDDED_POSTGRES_PORT}/loyalty` });
    await db.connect();
    try {
      const { rows } = await db.query('select count(*)::int as n, count(distinct code)::int as distinct from codes where batch_id = $1', [
        id,
      ]);
      expect(rows[0]).toEqual({ n: 300_000, distinct: 300_000 });
    } finally {
      await db.end();
    }
    expect(await ctrlC(second)).toBe(130);
    expect(await leftovers(setup)).toEqual({ processes: [], listening: [] });
  } finally {
    killMarked(setup.mark);
    fs.rmSync(setup.dataDir, { recursive: true, force: true });
  }
});
