import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { resolvePool } from '../db/code-pools';
import { insertWebhookSubscription, updateWebhookSubscription } from '../db/webhook-subscriptions';
import { newWebhookSecret } from '../domain/webhook-signature';
import { count, seconds, type BenchContext } from './context';
import { startServiceProcess, type ServiceProcess } from './services';
import { drive, stats } from './drive';

const WEBHOOK_ENV = { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_TIMEOUT_MS: '15000' };

/** A local receiver: `/fast/<name>` answers at once, `/slow/<name>` after 10 s; counts distinct message ids per name. */
async function startReceiver() {
  const ids = new Map<string, Set<string>>();
  const server = http.createServer((req, res) => {
    req.resume().on('end', () => {
      const name = req.url!.split('/')[2];
      if (!ids.has(name)) ids.set(name, new Set());
      ids.get(name)!.add(String(req.headers['webhook-id']));
      if (req.url!.startsWith('/slow')) setTimeout(() => res.end('ok'), 10_000);
      else res.end('ok');
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (speed: 'fast' | 'slow', name: string) => `${base}/${speed}/${name}`,
    received: (name: string) => ids.get(name)?.size ?? 0,
    stop: () => (server.closeAllConnections(), new Promise((resolve) => server.close(resolve))),
  };
}

async function until(check: () => boolean, timeoutMs = 300_000): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('not drained in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now();
}

/**
 * Webhooks at production rates (issue 21), against a local receiver, beside the same run's redemption rate:
 * a burst of redemptions and how long its deliveries drain after the last answer; sustained deliveries of a
 * backlog to one subscription with 1 and 2 workers; a receiver answering in 10 s beside a fast one and a
 * campaign PATCH. The cost of a subscription on the redemption path is benchWebhookCost's.
 */
export async function benchWebhookThroughput(ctx: BenchContext, burst: number, backlog: number): Promise<void> {
  console.log(`\n## Webhook deliveries (burst of ${count(burst)} redemptions, backlog of ${count(backlog)} messages)`);
  const { db } = ctx;
  await db.query(
    `insert into event_schemas (name, attributes) values ('code_entered', '[{"name":"code","type":"text","required":true}]') on conflict do nothing`,
  );
  await db.query(`update webhook_subscriptions set status = 'paused'`); // earlier sections' subscriptions get nothing
  const receiver = await startReceiver();
  // First: creating the campaign waits for its lifecycle workflow.
  const workers: ServiceProcess[] = [await startServiceProcess('worker/index.ts', { ...ctx.env, ...WEBHOOK_ENV })];
  try {
    await runThroughput(ctx, receiver, workers, burst, backlog);
  } finally {
    await receiver.stop(); // first: the slow receiver's held requests end, so the workers stop at once
    for (const w of workers) await w.stop();
  }
}

async function runThroughput(
  ctx: BenchContext,
  receiver: Awaited<ReturnType<typeof startReceiver>>,
  workers: ServiceProcess[],
  burst: number,
  backlog: number,
): Promise<void> {
  const { db } = ctx;
  const created = await fetch(`${ctx.baseUrl}/v1/campaigns`, {
    method: 'POST',
    headers: { ...ctx.headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      id: 'bench-wt',
      name: 'bench-wt',
      status: 'active',
      trigger: { event: 'code_entered', codeAttribute: 'code' },
      rules: [
        {
          name: 'all',
          conditions: { all: [{ fact: 'member', path: '$.id', operator: 'notEqual', value: '' }] },
          effects: [{ type: 'add_points', points: 1 }],
        },
      ],
    }),
  });
  if (created.status !== 201) throw new Error(`campaign: ${created.status} ${await created.text()}`);
  const pool = await resolvePool(db, { type: 'campaign', id: 'bench-wt' });
  await db.query(`insert into codes (code, pool_id) select 'WT' || g, $1 from generate_series(1, $2) g`, [pool.id, burst]);
  await db.query(`insert into members (id) select 'wt-' || g from generate_series(1, $1) g on conflict do nothing`, [burst]);

  const subscribe = async (speed: 'fast' | 'slow', name: string) =>
    (
      await insertWebhookSubscription(db, {
        id: randomUUID(),
        url: receiver.url(speed, name),
        events: ['redemption.succeeded'],
        description: `bench ${name}`,
        secret: newWebhookSecret(),
        createdBy: 'bench',
      })
    ).id;
  const pause = (id: string) => updateWebhookSubscription(db, id, { status: 'paused' });
  const enqueue = (n: number) =>
    db.query(
      `insert into outbox (id, type, payload) select gen_random_uuid(), 'redemption.succeeded', jsonb_build_object('version', 1, 'n', g)
         from generate_series(1, $1) g`,
      [n],
    );
  // 1. A burst through the API, one subscription: redemption rate, delivery rate, drain after the last answer.
  const burstHook = await subscribe('fast', 'burst');
  const started = Date.now();
  const run = await drive(
    burst,
    async (i) => {
      const res = await fetch(`${ctx.baseUrl}/v1/events`, {
        method: 'POST',
        headers: { ...ctx.headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ id: `wt-${i}`, name: 'code_entered', memberId: `wt-${i + 1}`, attributes: { code: `WT${i + 1}` } }),
      });
      if (((await res.json()) as { outcome?: string }).outcome !== 'redeemed') throw new Error(`event ${i} not redeemed`);
    },
    16,
  );
  const lastAnswer = Date.now();
  const drained = await until(() => receiver.received('burst') >= burst);
  const redemptionRate = stats(run).rate;
  const deliveryRate = burst / ((drained - started) / 1000);
  console.log(
    `burst: ${count(Math.round(redemptionRate))} redemptions/s; ${count(Math.round(deliveryRate))} deliveries/s over the burst ` +
      `(${(deliveryRate / redemptionRate).toFixed(2)}x the redemption rate); drained ${seconds(drained - lastAnswer)} after the last answer (target <= 30 s)`,
  );
  await pause(burstHook);

  // 2. A backlog straight into the outbox: sustained deliveries to one subscription, 1 worker then 2.
  const rates: number[] = [];
  for (const n of [1, 2]) {
    if (workers.length < n) workers.push(await startServiceProcess('worker/index.ts', { ...ctx.env, ...WEBHOOK_ENV }));
    const hook = await subscribe('fast', `backlog${n}`);
    const from = Date.now();
    await enqueue(backlog);
    const done = await until(() => receiver.received(`backlog${n}`) >= backlog);
    rates.push(backlog / ((done - from) / 1000));
    console.log(
      `backlog of ${count(backlog)} to one subscription, ${n} worker(s): ${seconds(done - from)}, ${count(Math.round(rates[n - 1]))}/s`,
    );
    await pause(hook);
  }
  console.log(
    `2 workers vs 1: ${(rates[1] / rates[0]).toFixed(2)}x (target > 1); 1 worker vs the burst's redemption rate: ${(rates[0] / redemptionRate).toFixed(2)}x`,
  );

  // 3. A receiver answering in 10 s beside a fast one; a campaign PATCH meanwhile, against the same PATCH idle.
  const patchMs = async () => {
    const times: number[] = [];
    for (const status of ['paused', 'active', 'paused', 'active']) {
      const t = Date.now();
      const res = await fetch(`${ctx.baseUrl}/v1/campaigns/bench-wt`, {
        method: 'PATCH',
        headers: { ...ctx.headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ status }),
      });
      if (res.status !== 200) throw new Error(`PATCH: ${res.status} ${await res.text()}`);
      times.push(Date.now() - t);
    }
    return times.sort((a, b) => a - b)[1];
  };
  const idlePatch = await patchMs();
  const fastAlone = await subscribe('fast', 'alone');
  let from = Date.now();
  await enqueue(2_000);
  const alone = (await until(() => receiver.received('alone') >= 2_000)) - from;
  await pause(fastAlone);
  const slow = await subscribe('slow', 'slow');
  const fast = await subscribe('fast', 'beside');
  from = Date.now();
  await enqueue(2_000);
  const busyPatch = await patchMs();
  const beside = (await until(() => receiver.received('beside') >= 2_000)) - from;
  console.log(
    `fast subscription, 2,000 messages: ${seconds(alone)} alone, ${seconds(beside)} beside one answering in 10 s ` +
      `(${(beside / alone).toFixed(2)}x); campaign PATCH median ${idlePatch} ms idle, ${busyPatch} ms with the slow receiver's batches in flight`,
  );
  await pause(slow);
  await pause(fast);
}
