/**
 * `npm run bench`: end-to-end figures beside baselines measured in the same run (§5). Not a test: it prints
 * ratios and asserts nothing. BENCH_CODES / BENCH_LARGE_CODES shrink it for a quick look.
 */
import { startBenchServices } from './services';
import { createBenchContext } from './context';
import { benchGeneration } from './generation';
import { benchImportExport } from './codes-io';
import { benchRedemptions } from './redemption';
import { benchWebhookCost } from './webhooks';
import { benchConsoleSize, benchDashboard } from './console';
import { benchRuntimes } from './runtimes';
import { benchObservability } from './observability';

async function main() {
  const main = Number(process.env.BENCH_CODES ?? 1_000_000);
  const large = Number(process.env.BENCH_LARGE_CODES ?? 5_000_000);
  // "generation", "io", "redemption", "observability", "runtimes", "webhooks", "console" or "dashboard"
  const only = process.env.BENCH_ONLY;
  const events = Number(process.env.BENCH_EVENTS ?? 3000);
  console.log(`# Benchmarks (${new Date().toISOString()}, node ${process.version})`);
  if (!only || only === 'console') await benchConsoleSize();
  if (only === 'console') return;
  const services = await startBenchServices();
  try {
    // Each section gets a fresh API process, so its peak RSS belongs to that section alone.
    if (!only || only === 'generation') {
      const ctx = await createBenchContext(services, large);
      await benchGeneration(ctx, { main, large }).finally(() => ctx.close());
    }
    if (!only || only === 'io') {
      const ctx = await createBenchContext(services, large);
      await benchImportExport(ctx, main).finally(() => ctx.close());
    }
    if (!only || only === 'redemption') {
      const ctx = await createBenchContext(services, large);
      await benchRedemptions(ctx, events).finally(() => ctx.close());
    }
    if (!only || only === 'observability') await benchObservability(services, large, events);
    if (!only || only === 'webhooks') {
      const ctx = await createBenchContext(services, large);
      await benchWebhookCost(ctx, events).finally(() => ctx.close());
    }
    if (!only || only === 'dashboard') {
      const ctx = await createBenchContext(services, large);
      await benchDashboard(ctx, main, Number(process.env.BENCH_DASHBOARD_EVENTS ?? 100_000)).finally(() => ctx.close());
    }
  } finally {
    await services.stop();
  }
  if (!only || only === 'runtimes') await benchRuntimes(Number(process.env.BENCH_RUNTIME_CODES ?? 300_000));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
