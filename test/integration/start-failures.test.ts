import fs from 'node:fs';
import net from 'node:net';
import { START_STEPS } from '../../runtime/teardown';
import { killMarked, leftovers, spawnStart, startEnv, startUp, ctrlC, type StartEnv } from '../support/start-process';

/**
 * Whatever start-up has started is stopped when it fails at any point: a failure injected after each step
 * (LOYALTY_FAIL_AT, read only by the start helper) leaves no process and no open port. Real failures print a
 * clear reason, never a stack or a TypeError.
 */
let setup: StartEnv;
beforeAll(async () => {
  setup = await startEnv();
});
afterAll(() => {
  killMarked(setup.mark);
  fs.rmSync(setup.dataDir, { recursive: true, force: true });
});

async function failingStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const started = spawnStart({ ...setup.env, ...env });
  const code = await started.exited;
  return { code, output: started.output() };
}

it.each(START_STEPS)('a failure after the "%s" step stops everything already started', async (step) => {
  const { code, output } = await failingStart({ LOYALTY_FAIL_AT: step });
  expect(code).toBe(1);
  expect(output).toContain(`Start-up failed: failure injected after the "${step}" step`);
  expect(output).not.toMatch(/TypeError| {4}at /);
  expect(await leftovers(setup)).toEqual({ processes: [], listening: [] });
});

it('names what holds a port that is taken, and leaves nothing behind', async () => {
  const squatter = net.createServer().listen(Number(setup.env.PORT), '127.0.0.1');
  await new Promise((r) => squatter.once('listening', r));
  try {
    const { code, output } = await failingStart({});
    expect(code).toBe(1);
    expect(output).toContain(`port ${setup.env.PORT} (API) is already in use by pid ${process.pid}`);
    expect(output).toContain('PORT=<port>');
  } finally {
    squatter.close();
  }
  expect(await leftovers(setup)).toEqual({ processes: [], listening: [] });
});

it('refuses two settings naming the same port before starting anything', async () => {
  const { code, output } = await failingStart({ EMBEDDED_POSTGRES_PORT: setup.env.PORT });
  expect(code).toBe(1);
  expect(output).toContain(`Start-up failed: PORT and EMBEDDED_POSTGRES_PORT are both ${setup.env.PORT}: each needs a port of its own.`);
  expect(output).not.toContain('Database');
  expect(await leftovers(setup)).toEqual({ processes: [], listening: [] });
});

it('refuses a second start on a data folder in use, without touching the first', async () => {
  const first = await startUp(setup.env);
  try {
    const { code, output } = await failingStart({});
    expect(code).toBe(1);
    expect(output).toContain(`is in use by another start (pid ${first.child.pid}`);
    expect((await fetch(`http://127.0.0.1:${setup.env.PORT}/healthz`)).status).toBe(200);
  } finally {
    expect(await ctrlC(first)).toBe(130);
  }
  expect(await leftovers(setup)).toEqual({ processes: [], listening: [] });
});
