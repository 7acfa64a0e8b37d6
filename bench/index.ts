/**
 * `npm run bench`: end-to-end figures beside baselines measured in the same run (§5). Not a test: it prints
 * ratios and asserts nothing. BENCH_CODES / BENCH_LARGE_CODES shrink it for a quick look.
 */
import { startBenchServices } from './services';
import { benchGeneration } from './generation';

async function main() {
  const main = Number(process.env.BENCH_CODES ?? 1_000_000);
  const large = Number(process.env.BENCH_LARGE_CODES ?? 5_000_000);
  console.log(`# Benchmarks (${new Date().toISOString()}, node ${process.version})`);
  const services = await startBenchServices();
  try {
    await benchGeneration(services, { main, large });
  } finally {
    await services.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
