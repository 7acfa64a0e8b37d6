/**
 * `npm run setup`: makes sure the pinned Temporal CLI is available (builds it with Go when missing).
 * `npm run setup -- --server` (or TEMPORAL_RUNTIME=server) also builds the real Temporal server, its SQL tool and
 * the Web UI server, which `TEMPORAL_RUNTIME=server npm start` and the production-shape test run.
 * It also builds the pinned promtool, which checks the shipped alert rules (ops/prometheus, README "Operating it").
 */
import { describeError } from '../model/errors';
import { loadConfig } from '../runtime/config';
import { ensureTemporalCli } from '../runtime/temporal-cli';
import { ensureTemporalServer } from '../runtime/temporal-server-tools';
import { ensurePromtool } from '../runtime/promtool';

async function main() {
  const config = loadConfig();
  console.log(`Temporal CLI: ${await ensureTemporalCli(config.toolsDir)}`);
  if (process.argv.includes('--server') || config.temporalRuntime === 'server') {
    const tools = await ensureTemporalServer(config.toolsDir);
    console.log(`Temporal server: ${tools.server}`);
    console.log(`Temporal SQL tool: ${tools.sqlTool} (schema: ${tools.schemaDir})`);
    console.log(`Temporal Web UI server: ${tools.uiServer ?? 'not built (the real server runs without a UI)'}`);
  }
  console.log(`promtool: ${await ensurePromtool(config.toolsDir)}`);
}

main().catch((error: unknown) => {
  console.error(describeError(error));
  process.exit(1);
});
