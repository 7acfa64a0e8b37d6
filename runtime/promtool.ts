import fs from 'node:fs';
import path from 'node:path';
import { goInstall, onPath } from './temporal-cli';

/**
 * Prometheus's rule checker, pinned: it checks and unit-tests ops/prometheus/alerts.yml in CI
 * (test/unit/ops-rules.test.ts), and the Grafana dashboard's queries. Prometheus 3.16's module tag (v0.316.0); the `cmd/promtool` package
 * go-installs with no replace directive.
 */
export const PROMTOOL_MODULE = 'github.com/prometheus/prometheus/cmd/promtool@v0.316.0';

export function promtoolPath(toolsDir: string): string {
  return path.join(toolsDir, 'bin', 'promtool');
}

/** The pinned promtool in the tool folder, built with Go when missing (minutes, once). */
export async function ensurePromtool(toolsDir: string, log: (line: string) => void = console.log): Promise<string> {
  const local = promtoolPath(toolsDir);
  if (fs.existsSync(local)) return local;
  const go = onPath('go');
  if (!go) throw new Error(`promtool is not in ${local} and Go is not installed to build it: install Go, then run \`npm run setup\``);
  log(`Building promtool with: go install ${PROMTOOL_MODULE}`);
  await goInstall(go, PROMTOOL_MODULE, path.dirname(local), log);
  return local;
}
