import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { projectRoot } from './config';

/** Folders whose code can end up in the workflow bundle (workflows import types and constants from them). */
const SOURCE_DIRS = ['workflows', 'activities', 'db', 'domain', 'model', 'rules'];
/** Workflow interceptor modules every bundle carries (OpenTelemetry's, for workflows started with a trace context). */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../workflows/tracing-interceptors')];
export const BUNDLE_CACHE_DIR = path.join(projectRoot, 'node_modules', '.cache', 'loyalty-codes');

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'migrations' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** A hash of everything the bundle is built from: the sources it can import and the locked dependencies. */
export function workflowSourceHash(): string {
  const hash = crypto.createHash('sha256');
  const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(path.join(projectRoot, dir))).sort();
  for (const file of [...files, path.join(projectRoot, 'package-lock.json')]) {
    hash.update(path.relative(projectRoot, file)).update('\0');
    if (fs.existsSync(file)) hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

const noop = () => undefined;
const silent = { log: noop, info: noop, warn: noop, error: noop, debug: noop, trace: noop };

/**
 * The workflow bundle's path: built once (webpack, ~10 s, its report silenced) and reused while the workflow code
 * and the dependencies are unchanged. Written whole or not at all, so a crash mid-build never leaves a bad cache.
 */
export async function workflowBundle(cacheDir = BUNDLE_CACHE_DIR): Promise<{ path: string; reused: boolean }> {
  const file = path.join(cacheDir, `workflow-bundle-${workflowSourceHash()}.js`);
  if (fs.existsSync(file)) return { path: file, reused: true };
  await writeWorkflowBundle(file);
  return { path: file, reused: false };
}

/** Bundles the workflows into `file` (the Docker build ships one; the production worker loads it). */
export async function writeWorkflowBundle(file: string): Promise<void> {
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: silent,
  });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, bundle.code);
  fs.renameSync(partial, file);
}
