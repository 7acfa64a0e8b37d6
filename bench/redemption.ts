import { resolvePool } from '../db/code-pools';
import { count, type BenchContext } from './context';

const CONCURRENCY = 16;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `total` calls with CONCURRENCY callers in flight; returns per-call latencies (ms) and the wall time. */
export async function drive(total: number, call: (i: number) => Promise<void>, concurrency = CONCURRENCY, first = 0): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = first;
  total += first;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      const i = next++;
      const t = performance.now();
      await call(i);
      latencies.push(performance.now() - t);
    }
  }));
  return { latencies: latencies.sort((a, b) => a - b), wallMs: performance.now() - started };
}

export function report(label: string, r: { latencies: number[]; wallMs: number }) {
  const perSecond = r.latencies.length / (r.wallMs / 1000);
  console.log(`${label}: ${count(Math.round(perSecond))}/s, p50 ${percentile(r.latencies, 50).toFixed(1)} ms, p99 ${percentile(r.latencies, 99).toFixed(1)} ms`);
  return perSecond;
}

/**
 * §5: redemptions through the whole path (HTTP → workflow → one transaction → answer) at 16 concurrent callers,
 * beside bare single-statement redemption transactions against the same database.
 */
export async function benchRedemptions(ctx: BenchContext, total: number): Promise<void> {
  console.log(`\n## Redemptions (${count(total)} events, ${CONCURRENCY} concurrent callers)`);
  const { db } = ctx;
  await db.query(`insert into event_schemas (name, attributes) values ('code_entered', '[{"name":"code","type":"text","required":true}]') on conflict do nothing`);
  await db.query(
    `insert into campaigns (id, name, visibility, status, trigger_event, trigger_attribute, rules)
     values ('bench', 'bench', '{"type":"everyone"}', 'active', 'code_entered', 'code',
             '[{"name":"all","conditions":{"all":[{"fact":"member","path":"$.id","operator":"notEqual","value":""}]},"effects":[{"type":"add_points","points":10}]}]')
     on conflict do nothing`,
  );
  const pool = await resolvePool(db, { type: 'campaign', id: 'bench' });
  const bank = await resolvePool(db, undefined);
  await db.query(`insert into codes (code, pool_id) select 'RDM' || g, $1 from generate_series(1, $2) g`, [pool.id, total]);
  await db.query(`insert into codes (code, pool_id) select 'BARE' || g, $1 from generate_series(1, $2) g`, [bank.id, total]);
  await db.query(`insert into members (id) select 'bench-' || g from generate_series(1, $1) g on conflict do nothing`, [total]);
  await db.query('vacuum analyze');

  const bare = await drive(total, async (i) => {
    const { rowCount } = await db.query(
      `update codes set status = 'redeemed', member_id = $2, redeemed_at = now() where code = $1 and status = 'unused'`,
      [`BARE${i + 1}`, `bench-${i + 1}`],
    );
    if (rowCount !== 1) throw new Error('bare redemption failed');
  });
  const bareRate = report('baseline: bare single-statement redemption transactions', bare);

  const worker = await ctx.startWorker();
  const redeem = async (i: number) => {
    const res = await fetch(`${ctx.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { ...ctx.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: `bench-event-${i}`, name: 'code_entered', memberId: `bench-${i + 1}`, attributes: { code: `RDM${i + 1}` } }),
    });
    const outcome = (await res.json()) as { outcome?: string };
    if (outcome.outcome !== 'redeemed') throw new Error(`event ${i}: ${JSON.stringify(outcome)}`);
  };
  try {
    // Unloaded first (one caller), for the latency of the path itself; then the 16 callers the target names.
    const unloaded = Math.min(200, Math.floor(total / 10));
    report('full path, 1 caller (unloaded latency)', await drive(unloaded, redeem, 1));
    const full = await drive(total - unloaded, redeem, CONCURRENCY, unloaded);
    const fullRate = report(`full path: HTTP → workflow → transaction → answer, ${CONCURRENCY} callers`, full);
    console.log(`full path throughput: ${(fullRate / bareRate).toFixed(2)}x the bare transactions (targets: p50 <= 50 ms, p99 <= 150 ms)`);
  } finally {
    await worker.stop();
  }
}
