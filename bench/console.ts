import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureConsoleBuilt } from '../scripts/build-console';
import { resolvePool } from '../db/code-pools';
import { count, type BenchContext } from './context';

/** The console's first download: the entry script and what index.html preloads (editor and charts load later). */
export async function benchConsoleSize(): Promise<void> {
  console.log('\n## Console');
  const dir = await ensureConsoleBuilt({ log: () => {} });
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+\.(js|css))"/g)].map((m) => m[1]);
  const size = (ext: string) =>
    files.filter((f) => f.endsWith(ext)).reduce((sum, f) => sum + gzipSync(fs.readFileSync(path.join(dir, f)), { level: 9 }).length, 0);
  const lazy = fs.readdirSync(path.join(dir, 'assets')).filter((f) => f.endsWith('.js') && !files.includes(`assets/${f}`)).length;
  console.log(
    `initial JS: ${(size('.js') / 1024).toFixed(0)} KB gzipped (target <= 300 KB), CSS ${(size('.css') / 1024).toFixed(0)} KB gzipped; ${lazy} chunks load on demand`,
  );
}

async function medianMs(run: () => Promise<Response>, times = 7): Promise<number> {
  const took: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    const res = await run();
    if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    took.push(performance.now() - start);
  }
  return took.sort((a, b) => a - b)[Math.floor(times / 2)];
}

/** The dashboard's reads with a large pool: /stats and the redemptions timeseries, over HTTP. */
export async function benchDashboard(ctx: BenchContext, codes: number, events: number): Promise<void> {
  const post = (url: string, body: object) =>
    fetch(ctx.baseUrl + url, {
      method: 'POST',
      headers: { ...ctx.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  await post('/v1/event-schemas', { name: 'bench_code', attributes: [{ name: 'code', type: 'text', required: true }] });
  const id = `bench-dashboard-${Date.now()}`;
  // Creating a campaign waits for its lifecycle workflow, which needs a worker.
  const worker = await ctx.startWorker();
  const created = await post('/v1/campaigns', {
    id,
    name: 'Dashboard bench',
    status: 'active',
    trigger: { event: 'bench_code', codeAttribute: 'code' },
    rules: [
      {
        name: 'all',
        conditions: { all: [{ fact: 'member', path: '$.id', operator: 'notEqual', value: '' }] },
        effects: [{ type: 'add_points', points: 1 }],
      },
    ],
  });
  await worker.stop();
  if (!created.ok) throw new Error(`campaign: ${created.status} ${await created.text()}`);
  // Rows straight into the tables: what is measured is reading them, not writing them.
  await resolvePool(ctx.db, { type: 'campaign', id });
  await ctx.db.query(
    `insert into codes (code, pool_id, status)
     select 'DASH' || lpad(g::text, 10, '0'), (select id from code_pools where kind = 'campaign' and owner_id = $1),
            (case when g % 10 = 0 then 'redeemed' else 'unused' end)::code_status
       from generate_series(1, $2) g`,
    [id, codes],
  );
  await ctx.db.query(
    `insert into redemption_events (event_id, api_key, campaign_id, member_id, code, outcome, reason, result, points, created_at)
     select 'dash-' || g, 'producer:bench', $1, 'm' || (g % 1000), 'DASH' || lpad(g::text, 10, '0'),
            case when g % 4 = 0 then 'rejected' else 'redeemed' end, case when g % 4 = 0 then 'conditions_not_met' end, '{}',
            case when g % 4 = 0 then 0 else 1 end, now() - (g % 720) * interval '1 hour'
       from generate_series(1, $2) g`,
    [id, events],
  );
  await ctx.db.query('analyze codes');
  await ctx.db.query('analyze redemption_events');
  console.log(`\n## Dashboard reads (${count(codes)} codes in the pool, ${count(events)} recorded events over 30 days; median of 7)`);
  const get = (url: string) => () => fetch(ctx.baseUrl + url, { headers: ctx.headers });
  console.log(`GET /v1/campaigns/:id/stats: ${(await medianMs(get(`/v1/campaigns/${id}/stats`))).toFixed(1)} ms (target <= 100 ms)`);
  console.log(
    `GET /v1/campaigns/:id/stats/timeseries?bucket=hour (48 h): ${(await medianMs(get(`/v1/campaigns/${id}/stats/timeseries?bucket=hour`))).toFixed(1)} ms`,
  );
  console.log(
    `GET /v1/campaigns/:id/stats/timeseries?bucket=day (30 days): ${(await medianMs(get(`/v1/campaigns/${id}/stats/timeseries?bucket=day`))).toFixed(1)} ms`,
  );
}
