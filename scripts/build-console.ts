/**
 * `npm run build:console`: the console's API types from the OpenAPI document this code produces, then a Vite
 * build into dist/console. Skipped when nothing it depends on changed (a hash of the sources, the OpenAPI
 * document and the lockfile is kept in dist/console/.source-hash). `--types-only` writes the types and stops.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../runtime/config';
import { buildOpenApiDocument } from '../api/openapi';
import { describeRoutes } from '../api/app';

const root = path.basename(projectRoot) === 'dist' ? path.dirname(projectRoot) : projectRoot;
const consoleSrc = path.join(root, 'console');
const outDir = path.join(root, 'dist', 'console');
const typesFile = path.join(consoleSrc, 'src', 'api', 'schema.d.ts');

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(full);
      return full === typesFile ? [] : [full];
    })
    .sort();
}

async function openApiJson(): Promise<string> {
  return JSON.stringify(buildOpenApiDocument(describeRoutes), null, 2);
}

function writeTypes(document: string): void {
  const tmp = path.join(root, 'dist', 'openapi.json');
  fs.mkdirSync(path.dirname(tmp), { recursive: true });
  fs.writeFileSync(tmp, document);
  try {
    execFileSync(path.join(root, 'node_modules', '.bin', 'openapi-typescript'), [tmp, '-o', typesFile], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`openapi-typescript failed: ${(error as { stderr?: Buffer }).stderr?.toString() ?? error}`, { cause: error });
  }
}

/** Builds the console when it is missing or older than its sources; returns where it is. */
export async function ensureConsoleBuilt(options: { force?: boolean; log?: (line: string) => void } = {}): Promise<string> {
  const log = options.log ?? console.log;
  const document = await openApiJson();
  const hash = createHash('sha256');
  for (const file of filesUnder(consoleSrc)) hash.update(path.relative(root, file)).update(fs.readFileSync(file));
  hash.update(document).update(fs.readFileSync(path.join(root, 'package-lock.json')));
  const digest = hash.digest('hex');
  const marker = path.join(outDir, '.source-hash');
  if (!options.force && fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === digest && fs.existsSync(typesFile)) return outDir;
  log('Building the console (dist/console)...');
  writeTypes(document);
  const vite = await import('vite');
  await vite.build({ configFile: path.join(consoleSrc, 'vite.config.mts'), logLevel: 'warn' });
  fs.writeFileSync(marker, digest);
  return outDir;
}

if (require.main === module) {
  const typesOnly = process.argv.includes('--types-only');
  (typesOnly
    ? openApiJson().then(writeTypes)
    : ensureConsoleBuilt({ force: process.argv.includes('--force') }).then((dir) =>
        console.log(`Console built in ${path.relative(root, dir)}`),
      )
  ).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
