import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './config';
import { commandLine, isAlive, readPidFile } from './processes';
import { firstBlockedFolder, postgresOsUser, SYSTEM_STATE_DIR, userCanReach } from './postgres-access';

export interface DataDirChoice {
  dir: string;
  /** Why the default folder was not used (printed at start), when it was moved. */
  movedBecause?: string;
}

const mode = (dir: string) => (fs.statSync(dir).mode & 0o777).toString(8);

/**
 * The data folder (PostgreSQL cluster, Temporal's SQLite file, dev keys, logs). The default lives in the project
 * (`.data`); as root in a folder the `postgres` OS user can't enter, it moves to a system folder keyed by the
 * project's path, so it survives reboots and each clone keeps its own. An explicit DATA_DIR is never moved: when
 * it can't work, the error says why and what to do.
 */
export function resolveDataDir(configured: string, options: { explicit: boolean; embeddedPostgres: boolean }): DataDirChoice {
  fs.mkdirSync(configured, { recursive: true });
  const user = options.embeddedPostgres ? postgresOsUser() : null;
  if (!user || userCanReach(user, configured)) return { dir: configured };

  const blocked = firstBlockedFolder(user, configured);
  const why = `running as root, PostgreSQL runs as the \`postgres\` OS user, which can't enter ${blocked} (mode ${mode(blocked)})`;
  if (options.explicit) {
    throw new Error(
      `DATA_DIR=${configured} can't hold the database: ${why}. Choose a DATA_DIR that user can reach ` +
        `(e.g. ${path.join(SYSTEM_STATE_DIR, 'data')}), or unset DATA_DIR and the start command picks one.`,
    );
  }
  try {
    fs.rmdirSync(configured); // only if we just created it empty
  } catch {
    // not empty or not ours: leave it
  }
  const hash = crypto.createHash('sha256').update(projectRoot).digest('hex').slice(0, 12);
  const dir = path.join(SYSTEM_STATE_DIR, `data-${hash}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(SYSTEM_STATE_DIR, 0o755);
  fs.chmodSync(dir, 0o755);
  return { dir, movedBecause: why };
}

/**
 * Marks the data folder as used by this start process; refuses when another start is running on it (two would
 * stop each other's PostgreSQL). A pid file left by a killed start is simply taken over. Returns the release.
 */
export function claimDataDir(dir: string): () => void {
  const file = path.join(dir, 'start.pid');
  const pid = readPidFile(file);
  if (pid && pid !== process.pid && isAlive(pid) && /start/.test(commandLine(pid))) {
    throw new Error(
      `the data folder ${dir} is in use by another start (pid ${pid}: ${commandLine(pid).slice(0, 80)}). ` +
        'Stop that one first (Ctrl-C in its terminal), or give this one its own DATA_DIR.',
    );
  }
  fs.writeFileSync(file, `${process.pid}\n`);
  return () => {
    if (readPidFile(file) === process.pid) fs.rmSync(file, { force: true });
  };
}
