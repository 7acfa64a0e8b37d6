import fs from 'node:fs';
import net from 'node:net';
import type { ChildProcess } from 'node:child_process';

/** Process and port facts read from the OS, so start-up can say what is in its way instead of failing blindly. */

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a running process ('' when it is gone or unreadable). */
export function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

/** Settles once the child is gone, with how it ended: "SIGKILL", "exit code 1" (at once if it already has). */
export function exitOf(child: ChildProcess): Promise<string> {
  const how = (code: number | null, signal: NodeJS.Signals | null) => signal ?? `exit code ${code}`;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(how(child.exitCode, child.signalCode));
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(how(code, signal)));
    child.once('error', (error) => resolve(error.message));
  });
}

/** Sends `signal`, then SIGKILL after `graceMs`, and resolves once the process is gone. */
export async function stopPid(pid: number, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function readPidFile(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0].trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** "pid 123 (postgres -D /x)" for the process listening on a TCP port, from /proc; null when unknown. */
export function portOwner(port: number): string | null {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is HEX_IP:HEX_PORT; state 0A is LISTEN
      if (cols.length > 9 && cols[3] === '0A' && parseInt(cols[1].split(':')[1], 16) === port) inodes.add(cols[9]);
    }
  }
  if (!inodes.size) return null;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return `pid ${entry} (${commandLine(Number(entry)).slice(0, 120)})`;
    }
  }
  return 'a process this user cannot see';
}

/** Throws a clear error when the port is taken, naming what holds it. */
export async function assertPortFree(port: number, what: string, envName: string): Promise<void> {
  if (!(await isListening(port))) return;
  throw new Error(
    `port ${port} (${what}) is already in use by ${portOwner(port) ?? 'another process'}. ` +
      `Stop it, or choose another port with ${envName}=<port>.`,
  );
}
