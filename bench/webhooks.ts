import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { resolvePool } from '../db/code-pools';
import { enqueueOutbox } from '../db/outbox';
import { insertWebhookSubscription, updateWebhookSubscription } from '../db/webhook-subscriptions';
import { newWebhookSecret } from '../domain/webhook-signature';
import { count, type BenchContext } from './context';
import { startServiceProcess } from './services';
import { drive as driveWith, stats } from './drive';

const drive = (total: number, call: (i: number) => Promise<void>) => driveWith(total, call, 16);

/** Prints one run and returns its throughput (calls per second). */
function report(label: string, run: Awaited<ReturnType<typeof driveWith>>): number {
  const s = stats(run);
  console.log(`${label}: ${count(Math.round(s.rate))}/s, p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms`);
  return s.rate;
}

/**
 * The cost of notifications on the redemption path (issue 13: at most 10 %), measured in one run:
 * 1. bare redemption transactions with and without one outbox insert (the write the decision transaction adds);
 * 2. the full path (HTTP → workflow → transaction) with no webhook, then with one webhook on
 *    `redemption.succeeded` and its local receiver, while the relay and deliveries run on the same machine.
 */
export async function benchWebhookCost(ctx: BenchContext, total: number): Promise<void> {
  console.log(`\n## Notifications on the redemption path (${count(total)} events per run, 16 callers)`);
  const { db } = ctx;
  await db.query(
    `insert into event_schemas (name, attributes) values ('code_entered', '[{"name":"code","type":"text","required":true}]') on conflict do nothing`,
  );
  await db.query(
    `insert into campaigns (id, name, visibility, status, trigger_event, trigger_attribute, rules)
     values ('bench-wh', 'bench-wh', '{"type":"everyone"}', 'active', 'code_entered', 'code',
             '[{"name":"all","conditions":{"all":[{"fact":"member","path":"$.id","operator":"notEqual","value":""}]},"effects":[{"type":"add_points","points":10}]}]')
     on conflict do nothing`,
  );
  const pool = await resolvePool(db, { type: 'campaign', id: 'bench-wh' });
  const bank = await resolvePool(db, undefined);
  const ROUNDS = ['A1', 'B1', 'A2', 'B2'];
  for (const prefix of ROUNDS) {
    await db.query(`insert into codes (code, pool_id) select $3 || g, $1 from generate_series(1, $2) g`, [pool.id, total, `WH${prefix}`]);
    await db.query(`insert into codes (code, pool_id) select $3 || g, $1 from generate_series(1, $2) g`, [
      bank.id,
      total,
      `BAREWH${prefix}`,
    ]);
  }
  await db.query(`insert into members (id) select 'wh-' || g from generate_series(1, $1) g on conflict do nothing`, [total]);
  await db.query('vacuum analyze');

  const bare = (prefix: string, withOutbox: boolean) => async (i: number) => {
    await db.transaction(async (client) => {
      const { rowCount } = await client.query(
        `update codes set status = 'redeemed', redeemed_at = now() where code = $1 and status = 'unused'`,
        [`BAREWH${prefix}${i + 1}`],
      );
      if (rowCount !== 1) throw new Error('bare redemption failed');
      if (withOutbox) await enqueueOutbox(client, 'redemption.succeeded', { version: 1, eventId: `bare-${prefix}-${i}` });
    });
  };
  // Alternated, best of two each: the machine's noise hits both sides alike.
  const bareRuns: number[] = [];
  const outboxRuns: number[] = [];
  for (const round of ['1', '2']) {
    bareRuns.push(report('bare redemption transactions', await drive(total, bare(`A${round}`, false))));
    outboxRuns.push(report('bare redemption transactions + one outbox insert', await drive(total, bare(`B${round}`, true))));
  }
  const bareRate = Math.max(...bareRuns);
  const outboxRate = Math.max(...outboxRuns);
  console.log(
    `outbox insert (best of two each): ${((1 - outboxRate / bareRate) * 100).toFixed(1)} % of bare single-update transaction throughput`,
  );
  await db.query(`update outbox set dispatched_at = now() where dispatched_at is null`); // the bare runs' rows are not for the receiver

  let received = 0;
  const receiver = http.createServer((req, res) => req.resume().on('end', () => (received++, res.end('ok'))));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const worker = await startServiceProcess('worker/index.ts', {
    ...ctx.env,
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  });
  const redeem = (prefix: string) => async (i: number) => {
    const res = await fetch(`${ctx.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { ...ctx.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        id: `wh-${prefix}-${i}`,
        name: 'code_entered',
        memberId: `wh-${i + 1}`,
        attributes: { code: `WH${prefix}${i + 1}` },
      }),
    });
    const outcome = (await res.json()) as { outcome?: string };
    if (outcome.outcome !== 'redeemed' && outcome.outcome !== 'rejected') throw new Error(`event ${i}: ${JSON.stringify(outcome)}`);
  };
  const hook = await insertWebhookSubscription(db, {
    id: randomUUID(),
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    events: ['redemption.succeeded'],
    description: 'bench',
    secret: newWebhookSecret(),
    createdBy: 'bench',
  });
  const subscribed = (on: boolean) => updateWebhookSubscription(db, hook.id, { status: on ? 'active' : 'paused' });
  try {
    const noneRuns: number[] = [];
    const oneRuns: number[] = [];
    for (const round of ['1', '2']) {
      await subscribed(false);
      noneRuns.push(report('full path, no webhook', await drive(total, redeem(`A${round}`))));
      await subscribed(true);
      oneRuns.push(report('full path, one webhook on redemption.succeeded', await drive(total, redeem(`B${round}`))));
    }
    const none = Math.max(...noneRuns);
    const one = Math.max(...oneRuns);
    const { rows } = await db.query(
      `select count(*)::int as n from outbox where type = 'redemption.succeeded' and payload->>'eventId' like 'wh-%'`,
    );
    console.log(
      `with a webhook (best of two each): ${((1 - one / none) * 100).toFixed(1)} % below no webhook (target <= 10 %); ` +
        `${count(rows[0].n)} outbox rows from the redemption path, ${count(received)} deliveries received so far` +
        (rows[0].n === 0 ? ' (the redemption path does not write its outbox rows yet: only the relay is measured)' : ''),
    );
  } finally {
    await worker.stop();
    receiver.close();
  }
}
