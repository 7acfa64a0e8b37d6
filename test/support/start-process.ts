import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { UNFINISHED_BATCH_STATUSES, type BatchStatus } from '../../model/batch-status';
import { isListening } from '../../runtime/processes';
import { freePorts } from '../../runtime/ports';
import { passwordFileOf } from '../../runtime/embedded-postgres';

/** Runs the README's start command as a user would, and finds anything it left behind. */

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export interface StartEnv {
  env: Record<string, string>;
  ports: number[];
  /** Every process the start command starts inherits it: how orphans are found. */
  mark: string;
  dataDir: string;
}

/** A data folder under /tmp and free ports; `mark` tags every descendant process through its environment. */
export async function startEnv(extra: Record<string, string> = {}): Promise<StartEnv> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-start-'));
  fs.chmodSync(dataDir, 0o777);
  const [api, postgres, temporal, temporalUi, workerMetrics] = await freePorts(5);
  const named = {
    PORT: api,
    EMBEDDED_POSTGRES_PORT: postgres,
    TEMPORAL_PORT: temporal,
    TEMPORAL_UI_PORT: temporalUi,
    WORKER_METRICS_PORT: workerMetrics,
  };
  const mark = crypto.randomBytes(6).toString('hex');
  const env = {
    DATA_DIR: dataDir,
    LOYALTY_TEST_MARK: mark,
    ...Object.fromEntries(Object.entries(named).map(([k, v]) => [k, String(v)])),
    ...extra,
  };
  return { env, ports: Object.values(named), mark, dataDir };
}

/** The start script as `npm start` runs it, in its own process group (so Ctrl-C can reach the whole group). */
export function spawnStart(
  env: Record<string, string>,
  cwd = path.resolve(__dirname, '../..'),
  [command, ...args]: string[] = [process.execPath, '--import', 'tsx', 'scripts/start.ts'],
): Started {
  let output = '';
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, LOG_LEVEL: '', API_KEYS: '', DATABASE_URL: '', TEMPORAL_ADDRESS: '', LOYALTY_FAIL_AT: '', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function waitForOutput(started: Started, text: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes(text)) {
    if (started.child.exitCode !== null || Date.now() > deadline) throw new Error(`waited for "${text}" in:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function startUp(env: Record<string, string>, cwd?: string): Promise<Started> {
  const started = spawnStart(env, cwd);
  await waitForOutput(started, 'Press Ctrl-C to stop.');
  return started;
}

export async function ctrlC(started: Started): Promise<number | null> {
  process.kill(-started.child.pid!, 'SIGINT');
  return started.exited;
}

/** Processes whose environment carries the mark (any descendant of a start run with it), as "pid command". */
export function markedProcesses(mark: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`LOYALTY_TEST_MARK=${mark}`)) {
        found.push(`${entry} ${fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 100)}`);
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** What is left running and listening after a start has exited: both must be empty. */
export async function leftovers(setup: StartEnv): Promise<{ processes: string[]; listening: number[] }> {
  const listening: number[] = [];
  for (const port of setup.ports) if (await isListening(port)) listening.push(port);
  return { processes: markedProcesses(setup.mark), listening };
}

/** Last resort for a failing test: stop whatever a start left, so one failure doesn't leak into the machine. */
export function killMarked(mark: string): void {
  for (const line of markedProcesses(mark)) {
    try {
      process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** `npm start` itself, exactly as a user or a process manager runs it (npm, then the script it execs). */
export function spawnNpmStart(env: Record<string, string>): Started {
  return spawnStart(env, path.resolve(__dirname, '../..'), ['npm', 'start']);
}

/** A 300,000-code-style generation driven through the API of a running start, as a user would. */
export class BatchProbe {
  readonly api: string;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly setup: StartEnv,
    started: Started,
  ) {
    this.api = `http://127.0.0.1:${setup.env.PORT}`;
    this.headers = { Authorization: `Bearer ${/operator\s+(\S+)/.exec(started.output())![1]}`, 'Content-Type': 'application/json' };
  }

  async start(quantity: number): Promise<string> {
    const res = await fetch(`${this.api}/v1/code-batches`, {
      method: 'POST',
      headers: this.headers,
      body: JSON.stringify({ quantity, length: 12, charset: 'alphanumeric' }),
    });
    if (res.status !== 202) throw new Error(`generation refused: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  }

  async get(id: string): Promise<{ status: BatchStatus; generated: number }> {
    return (await (await fetch(`${this.api}/v1/code-batches/${id}`, { headers: this.headers })).json()) as {
      status: BatchStatus;
      generated: number;
    };
  }

  /** Polls until the batch has at least `generated` codes (or is done); returns the count seen. */
  async waitForGenerated(id: string, generated: number, timeoutMs = 300_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const batch = await this.get(id);
      if (batch.generated >= generated || !UNFINISHED_BATCH_STATUSES.includes(batch.status) || Date.now() > deadline)
        return batch.generated;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async waitForCompleted(id: string, timeoutMs = 300_000): Promise<{ status: string; generated: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const batch = await this.get(id).catch(() => ({ status: 'unreachable', generated: -1 }));
      if (batch.status === 'completed' || Date.now() > deadline) return batch;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Rows and distinct codes of the batch, read straight from the embedded PostgreSQL. */
  async countCodes(id: string): Promise<{ n: number; distinct: number }> {
    const password = encodeURIComponent(fs.readFileSync(passwordFileOf(path.join(this.setup.dataDir, 'postgres')), 'utf8').trim());
    const db = new Client({
      connectionString: `postgres://postgres:${password}@127.0.0.1:${this.setup.env.EMBEDDED_POSTGRES_PORT}/loyalty`,
    });
    await db.connect();
    try {
      const { rows } = await db.query('select count(*)::int as n, count(distinct code)::int as distinct from codes where batch_id = $1', [
        id,
      ]);
      return rows[0];
    } finally {
      await db.end();
    }
  }
}
