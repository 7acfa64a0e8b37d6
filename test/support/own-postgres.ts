import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ensureDatabase, startEmbeddedPostgres } from '../../runtime/embedded-postgres';
import { freePort } from '../../runtime/ports';

export interface OwnPostgres {
  /** A migrated database of the server's own. */
  databaseUrl: string;
  /** Stops the postmaster and every backend (SIGSTOP): connections stay open and nothing answers, as in a stall. */
  freeze(): void;
  thaw(): void;
  cleanUp(): Promise<void>;
}

/** The processes the postmaster forked (backends, background workers), read from /proc. */
function childrenOf(pid: number): number[] {
  return fs.readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after its last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return ppid === pid ? [Number(entry)] : [];
    } catch {
      return []; // gone meanwhile
    }
  });
}

const signal = (pids: number[], name: NodeJS.Signals) => {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // a backend that ended meanwhile
    }
  }
};

/**
 * A PostgreSQL server of the test file's own, to freeze without touching the shared one (the other files' tests
 * keep running), with the product's migrations applied.
 */
export async function startOwnPostgres(folderPrefix: string): Promise<OwnPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), folderPrefix));
  fs.chmodSync(dir, 0o777); // as root, PostgreSQL runs as the postgres user and must reach its data folder
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'postgres'), port: await freePort(), quiet: true });
  const databaseUrl = await ensureDatabase(server.url, 'loyalty');
  // As `npm run migrate` does (node-pg-migrate is loaded by a dynamic import, which jest's module system refuses).
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts'], {
    cwd: path.resolve(__dirname, '../..'),
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  let frozen: number[] = [];
  const thaw = () => {
    signal(frozen, 'SIGCONT');
    frozen = [];
  };
  return {
    databaseUrl,
    freeze() {
      signal([server.pid], 'SIGSTOP'); // first: no new backend is forked while the others are stopped
      frozen = [server.pid, ...childrenOf(server.pid)];
      signal(frozen, 'SIGSTOP');
    },
    thaw,
    async cleanUp() {
      thaw();
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
