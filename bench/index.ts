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
import { benchWebhookThroughput } from './webhook-throughput';
import { benchConsoleSize, benchDashboard } from './console';
import { benchRuntimes } from './runtimes';
import { benchObservability } from './observability';
import { benchDistribution } from './distribution';
import { benchCostFlat } from './cost-flat';

async function main() {
  const main = Number(process.env.BENCH_CODES ?? 1_000_000);
  const large = Number(process.env.BENCH_LARGE_CODES ?? 5_000_000);
  // "generation", "io", "redemption", "observability", "runtimes", "webhooks" (or "webhook-throughput"), "console", "dashboard" or "distribution"
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
    // "webhook-throughput": the delivery figures alone, without the cost on the redemption path.
    if (!only || only === 'webhooks' || only === 'webhook-throughput') {
      const ctx = await createBenchContext(services, large);
      const burst = Number(process.env.BENCH_WEBHOOK_BURST ?? 10_000);
      const backlog = Number(process.env.BENCH_WEBHOOK_BACKLOG ?? 10_000);
      await (only === 'webhook-throughput' ? Promise.resolve() : benchWebhookCost(ctx, events))
        .then(() => benchWebhookThroughput(ctx, burst, backlog))
        .finally(() => ctx.close());
    }
    if (!only || only === 'distribution') {
      const ctx = await createBenchContext(services, large);
      const sizes = { main, large: Number(process.env.BENCH_DISTRIBUTION_LARGE ?? large) };
      await benchDistribution(ctx, sizes).finally(() => ctx.close());
    }
    // Opt-in: building 10,000,000 codes and 5,000,000 events takes many minutes.
    if (only === 'cost-flat') {
      const ctx = await createBenchContext(services, large);
      const sizes = {
        codes: Number(process.env.BENCH_FLAT_CODES ?? 10_000_000),
        events: Number(process.env.BENCH_FLAT_EVENTS ?? 5_000_000),
      };
      await benchCostFlat(ctx, sizes).finally(() => ctx.close());
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
