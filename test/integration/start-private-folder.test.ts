import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadConfig } from '../../runtime/config';
import { ctrlC, killMarked, leftovers, spawnStart, startEnv, startUp } from '../support/start-process';

/**
 * A new user's first run as root: the project cloned into a private folder (mode 700, as /root is). PostgreSQL
 * runs as the `postgres` OS user, which can't enter it: the start command copies the binaries where that user can
 * reach them and moves the default data folder to a system folder, says so, and works.
 */
const root = path.resolve(__dirname, '../..');
const asRoot = process.getuid?.() === 0 ? describe : describe.skip;

asRoot('a clone in a folder only root may enter', () => {
  let base: string;
  let repo: string;
  beforeAll(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-private-'));
    fs.chmodSync(base, 0o755); // only `home` is private, as /root is
    const home = path.join(base, 'home');
    fs.mkdirSync(home, { mode: 0o700 });
    repo = path.join(home, 'repo');
    execFileSync('git', ['clone', '-q', root, repo]);
    // The install, without the wait: hard links to this checkout's node_modules (same lockfile).
    execFileSync('cp', ['-al', path.join(root, 'node_modules'), path.join(repo, 'node_modules')]);
  });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  // The pinned CLI built by `npm run setup` in this checkout (the clone has none of its own yet).
  const tools = (): Record<string, string> =>
    fs.existsSync(path.join(loadConfig().toolsDir, 'bin', 'temporal')) ? { TOOLS_DIR: loadConfig().toolsDir } : {};

  it('starts with the default data folder, serves /healthz, and stops cleanly on Ctrl-C', async () => {
    const setup = await startEnv({ DATA_DIR: '', ...tools() });
    let dataDir = '';
    try {
      const started = await startUp(setup.env, repo);
      dataDir = /Data\s+(\S+)/.exec(started.output())![1];
      if (process.env.SHOW_START_OUTPUT) console.log(started.output());
      expect(dataDir.startsWith('/var/lib/loyalty-codes/data-')).toBe(true);
      expect(started.output()).toContain(
        "not in the project folder: running as root, PostgreSQL runs as the `postgres` OS user, which can't enter",
      );
      expect(started.output()).toMatch(/binaries copied for the postgres OS user to \/var\/lib\/loyalty-codes\/postgres-binaries\//);
      expect((await fetch(`http://127.0.0.1:${setup.env.PORT}/healthz`)).status).toBe(200);
      expect(await ctrlC(started)).toBe(130);
      expect(await leftovers(setup)).toEqual({ processes: [], listening: [] });
    } finally {
      killMarked(setup.mark);
      fs.rmSync(setup.dataDir, { recursive: true, force: true });
      if (dataDir.startsWith('/var/lib/loyalty-codes/data-')) fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses an explicit DATA_DIR the postgres user cannot reach, saying why and what to do', async () => {
    const setup = await startEnv({ DATA_DIR: path.join(base, 'home', 'data'), ...tools() });
    const started = spawnStart(setup.env, repo);
    expect(await started.exited).toBe(1);
    expect(started.output()).toContain(`Start-up failed: DATA_DIR=${path.join(base, 'home', 'data')} can't hold the database`);
    expect(started.output()).toContain(`can't enter ${path.join(base, 'home')} (mode 700)`);
    expect(started.output()).toContain('Choose a DATA_DIR that user can reach');
    expect(started.output()).not.toMatch(/ {4}at /);
    expect(await leftovers(setup)).toEqual({ processes: [], listening: [] });
    fs.rmSync(setup.dataDir, { recursive: true, force: true });
  });
});
