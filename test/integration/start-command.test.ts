import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../runtime/temporal-dev-server';

const root = path.resolve(__dirname, '../..');

interface Started {
  child: ChildProcess;
  output: () => string;
}

/** Runs the start script as `npm start` does, in its own process group (so Ctrl-C can reach the whole group). */
async function start(env: Record<string, string>): Promise<Started> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env: { ...process.env, ...env, LOG_LEVEL: 'warn', API_KEYS: '', DATABASE_URL: '', TEMPORAL_ADDRESS: '' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 120_000;
  while (!output.includes('Press Ctrl-C to stop.')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`start failed:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, output: () => output };
}

async function ctrlC(started: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  process.kill(-started.child.pid!, 'SIGINT');
  return exited;
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
  });

it('starts everything with one command, prints URLs and keys, stops cleanly on Ctrl-C, and keeps data across restarts', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-start-'));
  fs.chmodSync(dataDir, 0o777);
  const ports = { PORT: await freePort(), EMBEDDED_POSTGRES_PORT: await freePort(), TEMPORAL_PORT: await freePort(), TEMPORAL_UI_PORT: await freePort() };
  const env = { DATA_DIR: dataDir, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
  try {
    const first = await start(env);
    expect(first.output()).toContain(`http://localhost:${ports.PORT}`);
    expect(first.output()).toContain(`http://localhost:${ports.TEMPORAL_UI_PORT}`);
    expect(first.output()).toContain(`http://localhost:${ports.PORT}/console`);
    const consolePage = await fetch(`http://127.0.0.1:${ports.PORT}/console/campaigns`); // any console path: the SPA
    expect(consolePage.status).toBe(200);
    expect(await consolePage.text()).toContain('<div id="root">');
    const key = /operator\s+(\S+)/.exec(first.output())![1];
    const api = `http://127.0.0.1:${ports.PORT}`;
    const res = await fetch(`${api}/v1/code-batches`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ quantity: 1000, length: 10, charset: 'alphanumeric' }),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    let status = '';
    for (let i = 0; i < 100 && status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = ((await (await fetch(`${api}/v1/code-batches/${id}`, { headers: { Authorization: `Bearer ${key}` } })).json()) as { status: string }).status;
    }
    expect(status).toBe('completed');

    expect(await ctrlC(first)).toBe(130); // the conventional exit status after Ctrl-C
    for (const port of Object.values(ports)) expect({ port, open: await listening(port) }).toEqual({ port, open: false });

    const second = await start(env);
    expect(/operator\s+(\S+)/.exec(second.output())![1]).toBe(key); // the dev keys survive too
    const again = await fetch(`${api}/v1/code-batches/${id}`, { headers: { Authorization: `Bearer ${key}` } });
    expect(((await again.json()) as { generated: number }).generated).toBe(1000);
    expect(await ctrlC(second)).toBe(130);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
