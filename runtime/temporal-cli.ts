import fs from 'node:fs';
import path from 'node:path';
import { spawnSync, spawn } from 'node:child_process';

/** The newest CLI tag that `go install` accepts (later tags carry a `replace` directive). */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

export function onPath(binary: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}

/**
 * Finds the `temporal` CLI: the project's tool folder first (pinned build), then PATH. When neither has it and
 * Go is installed, builds the pinned version into the tool folder (minutes, once). Otherwise explains how to
 * get it and throws.
 */
export async function ensureTemporalCli(toolsDir: string, log: (line: string) => void = console.log): Promise<string> {
  const local = path.join(toolsDir, 'bin', 'temporal');
  if (fs.existsSync(local)) return local;
  const found = onPath('temporal');
  if (found) return found;

  const go = onPath('go');
  if (!go) {
    throw new Error(
      'The Temporal CLI (`temporal`) was not found on PATH or in ' +
        local +
        ', and Go is not installed to build it.\n' +
        'Install one of them, then run `npm run setup` again:\n' +
        `  - Go (https://go.dev/dl/), then: GOBIN=${path.dirname(local)} go install ${TEMPORAL_CLI_MODULE}\n` +
        '  - or the Temporal CLI itself (https://docs.temporal.io/cli#install) on PATH\n' +
        '  - or point TEMPORAL_ADDRESS at a running Temporal cluster.',
    );
  }
  log(`Building the Temporal CLI with: go install ${TEMPORAL_CLI_MODULE}`);
  const started = Date.now();
  await goInstall(go, TEMPORAL_CLI_MODULE, path.dirname(local), log);
  const version = spawnSync(local, ['--version'], { encoding: 'utf8' }).stdout.trim();
  log(`Built ${version} in ${Math.round((Date.now() - started) / 1000)} s`);
  return local;
}

/** `go install module` into `binDir`, with a progress line every 30 s (a cold build takes minutes on 2 cores). */
export async function goInstall(go: string, module: string, binDir: string, log: (line: string) => void): Promise<void> {
  fs.mkdirSync(binDir, { recursive: true });
  log(`  into ${binDir} (first time only; this takes a few minutes)...`);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(go, ['install', module], { env: { ...process.env, GOBIN: binDir }, stdio: ['ignore', 'inherit', 'inherit'] });
    const ticker = setInterval(() => log(`  ...still building (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(ticker);
      if (code === 0) resolve();
      else reject(new Error(`go install ${module} failed with exit code ${code}`));
    });
  });
}
