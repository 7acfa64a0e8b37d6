import fs from 'node:fs';
import path from 'node:path';
import { readPidFile } from '../../runtime/processes';
import {
  BatchProbe,
  ctrlC,
  killMarked,
  leftovers,
  startEnv,
  startUp,
  waitForOutput,
  type StartEnv,
  type Started,
} from '../support/start-process';

/**
 * The services `npm start` owns are supervised like the worker and the API: PostgreSQL or the Temporal dev server
 * SIGKILLed (as an OOM kill does) in the middle of a 300,000-code generation comes back by itself on the same
 * data folder, the API and the worker reconnect, and the batch ends with exactly the requested codes. One start
 * serves both kills (start-up is slow on the loaded machine); each kill has its own batch.
 */
jest.setTimeout(400_000);

let setup: StartEnv;
let started: Started;
let probe: BatchProbe;
const QUANTITY = 300_000;

beforeAll(async () => {
  setup = await startEnv({ CODE_CHUNK_SIZE: '10000' });
  started = await startUp(setup.env);
  probe = new BatchProbe(setup, started);
});
afterAll(async () => {
  try {
    expect(await ctrlC(started)).toBe(130);
    expect(await leftovers(setup)).toEqual({ processes: [], listening: [] });
  } finally {
    killMarked(setup.mark);
    fs.rmSync(setup.dataDir, { recursive: true, force: true });
  }
});

/** What a user sees come back: /healthz, and an event decided (an unknown one: 422, not 503). */
async function answersAgain(): Promise<{ health: number; event: number }> {
  const producer = /producer\s+(\S+)/.exec(started.output())![1];
  for (let i = 0; ; i++) {
    const health = (await fetch(`${probe.api}/healthz`).catch(() => undefined))?.status ?? 0;
    const event = await fetch(`${probe.api}/v1/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${producer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: `probe-${i}`, name: 'no_such_event', memberId: 'm-1', attributes: {} }),
    }).catch(() => undefined);
    if ((health === 200 && event?.status !== 503) || i >= 600) return { health, event: event?.status ?? 0 };
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function killMidGeneration(atCodes: number, pid: () => number): Promise<string> {
  const id = await probe.start(QUANTITY);
  const atKill = await probe.waitForGenerated(id, atCodes);
  expect(atKill).toBeGreaterThanOrEqual(atCodes);
  expect(atKill).toBeLessThan(QUANTITY);
  process.kill(pid(), 'SIGKILL');
  return id;
}

async function expectExact(id: string) {
  expect(await probe.waitForCompleted(id)).toMatchObject({ status: 'completed', generated: QUANTITY });
  expect(await probe.countCodes(id)).toEqual({ n: QUANTITY, distinct: QUANTITY });
}

it('restarts a SIGKILLed PostgreSQL by itself: the API answers again and the batch ends exact', async () => {
  const id = await killMidGeneration(50_000, () => readPidFile(path.join(setup.dataDir, 'postgres', 'postmaster.pid'))!);
  await waitForOutput(started, 'PostgreSQL crashed (SIGKILL); restarting in 0.5 s (try 1 of 5)', 10_000);
  await waitForOutput(started, 'PostgreSQL restarted (pid', 120_000);
  expect(started.output()).toMatch(/PostgreSQL restarted \(pid \d+\); recovered in [\d.]+ s\n/);
  expect(await answersAgain()).toEqual({ health: 200, event: 422 });
  await expectExact(id);
});

it('restarts a SIGKILLed Temporal dev server by itself on its SQLite file: the batch ends exact', async () => {
  const id = await killMidGeneration(100_000, () => readPidFile(path.join(setup.dataDir, 'temporal.pid'))!);
  await waitForOutput(started, 'The Temporal dev server crashed (SIGKILL); restarting in 0.5 s (try 1 of 5)', 10_000);
  await waitForOutput(started, 'The Temporal dev server restarted (pid', 120_000);
  expect(await answersAgain()).toEqual({ health: 200, event: 422 });
  await expectExact(id);
  // One line per event, and nothing else in the terminal (the detail is in the log files).
  expect(
    started
      .output()
      .split('\n')
      .filter((l) => l.startsWith('  !')),
  ).toHaveLength(4);
});
