import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { onPath } from './temporal-cli';

/** The real Temporal server (the one production runs), its SQL schema tool and its Web UI, built with Go. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
export const TEMPORAL_UI_SERVER_VERSION = 'v2.42.1';
const MODULES = [
  `go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}`,
  `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
];
const UI_MODULE = `github.com/temporalio/ui-server/v2/cmd/server@${TEMPORAL_UI_SERVER_VERSION}`;

export interface TemporalServerTools {
  server: string;
  sqlTool: string;
  /** schema/postgresql/v12 of the server module: `temporal/versioned` and `visibility/versioned`. */
  schemaDir: string;
  /** The standalone Temporal Web UI server, when it could be built. */
  uiServer?: string;
}

export function temporalServerTools(toolsDir: string): TemporalServerTools | null {
  const root = path.join(toolsDir, 'temporal-server');
  const tools = { server: path.join(root, 'bin', 'server'), sqlTool: path.join(root, 'bin', 'sql'), schemaDir: path.join(root, 'schema') };
  if (![tools.server, tools.sqlTool, tools.schemaDir].every((f) => fs.existsSync(f))) return null;
  const ui = path.join(toolsDir, 'temporal-ui', 'bin', 'server');
  return { ...tools, uiServer: fs.existsSync(ui) ? ui : undefined };
}

function goInstall(go: string, modules: string[], bin: string, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  return new Promise<void>((resolve, reject) => {
    const child = spawn(go, ['install', ...modules], { env: { ...process.env, GOBIN: bin }, stdio: ['ignore', 'inherit', 'inherit'] });
    const ticker = setInterval(() => log(`  ...still building (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(ticker);
      if (code === 0) resolve();
      else reject(new Error(`go install ${modules.join(' ')} failed with exit code ${code}`));
    });
  });
}

/**
 * Builds the Temporal server, its SQL tool and the Web UI server into the tool folder once (Go; about 13 minutes
 * cold on 2 cores, much less when the CLI was built first: they share Go's build cache), and copies the server's
 * PostgreSQL schema out of Go's module cache next to them. Only `npm run setup -- --server` (or
 * TEMPORAL_RUNTIME=server) asks for it: the default `npm start` runs the CLI's dev server and never pays for it.
 */
export async function ensureTemporalServer(toolsDir: string, log: (line: string) => void = console.log): Promise<TemporalServerTools> {
  const existing = temporalServerTools(toolsDir);
  if (existing?.uiServer) return existing;
  const go = onPath('go');
  if (!go) {
    if (existing) return existing;
    throw new Error(
      `TEMPORAL_RUNTIME=server needs the Temporal server in ${path.join(toolsDir, 'temporal-server')}, and Go is not ` +
        'installed to build it. Install Go (https://go.dev/dl/) and run `npm run setup -- --server`, or use ' +
        'TEMPORAL_RUNTIME=dev (the default), or point TEMPORAL_ADDRESS at a running Temporal cluster.',
    );
  }
  const root = path.join(toolsDir, 'temporal-server');
  if (!existing) {
    log(`Building the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool with Go into ${root}/bin`);
    log("  (first time only; minutes: it shares Go's build cache with the CLI)...");
    await goInstall(go, MODULES, path.join(root, 'bin'), log);
    const modCache = spawnSync(go, ['env', 'GOMODCACHE'], { encoding: 'utf8' }).stdout.trim();
    const schema = path.join(modCache, `go.temporal.io/server@${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
    fs.cpSync(schema, path.join(root, 'schema'), { recursive: true });
    execChmod(path.join(root, 'schema'));
  }
  const uiBin = path.join(toolsDir, 'temporal-ui', 'bin');
  log(`Building the Temporal Web UI server ${TEMPORAL_UI_SERVER_VERSION} with Go into ${uiBin}...`);
  try {
    await goInstall(go, [UI_MODULE], uiBin, log);
  } catch (error) {
    log(`  the Web UI server could not be built (${(error as Error).message}); the real server runs without a UI`);
  }
  return temporalServerTools(toolsDir)!;
}

/** Go's module cache is read-only: the copy must be writable to be replaced later. */
function execChmod(dir: string): void {
  spawnSync('chmod', ['-R', 'u+w', dir]);
}
