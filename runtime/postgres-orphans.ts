import fs from 'node:fs';

/**
 * A SIGKILLed postmaster leaves its backends running for a moment (each leaves once it notices); a new server
 * must not start on the folder while they are still attached to the old shared memory, whose id the pid file
 * holds (line 7: key and id). PostgreSQL would refuse; waiting here spares a supervisor's restart a failed try.
 */
export async function orphanedBackendsGone(pidFile: string, timeoutMs = 30_000): Promise<void> {
  const shmId = fs.readFileSync(pidFile, 'utf8').split('\n')[6]?.trim().split(/\s+/)[1];
  const attached = () => {
    try {
      const row = fs
        .readFileSync('/proc/sysvipc/shm', 'utf8')
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .find((cols) => cols[1] === shmId);
      return Number(row?.[6] ?? 0); // nattch
    } catch {
      return 0;
    }
  };
  const deadline = Date.now() + timeoutMs;
  while (shmId && attached() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}
