import fs from 'node:fs';
import { isListening } from '../../runtime/processes';
import { BatchProbe, ctrlC, killMarked, leftovers, startEnv, startUp } from '../support/start-process';

/**
 * The start process dies hard (SIGKILL, as an OOM kill or a closed terminal would) in the middle of a 300,000-code
 * generation. Its PostgreSQL and Temporal dev server keep running; the worker and the API leave with it. Running
 * the start command again finds the leftovers, stops them safely, starts, and the batch finishes exactly.
 */
it('comes back by itself after the start process is SIGKILLed mid-generation, and the batch ends exact', async () => {
  const setup = await startEnv({ CODE_CHUNK_SIZE: '10000' });
  try {
    const first = await startUp(setup.env);
    const probe = new BatchProbe(setup, first);
    const id = await probe.start(300_000);
    const atKill = await probe.waitForGenerated(id, 100_000);
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
    expect(await probe.waitForCompleted(id)).toMatchObject({ status: 'completed', generated: 300_000 });
    expect(await probe.countCodes(id)).toEqual({ n: 300_000, distinct: 300_000 });
    expect(await ctrlC(second)).toBe(130);
    expect(await leftovers(setup)).toEqual({ processes: [], listening: [] });
  } finally {
    killMarked(setup.mark);
    fs.rmSync(setup.dataDir, { recursive: true, force: true });
  }
});
