import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { takeUnusedCode } from '../db/codes';
import { count, seconds, type BenchContext } from './context';
import { call } from './http-client';
import { drive, stats } from './drive';

/**
 * Issue 23, "cost flat as data grows": the answer path and the reads operators use, measured with 100,000 codes in
 * the database, then again after COPY (not the API) brought it to BENCH_FLAT_CODES codes (10,000,000) and
 * BENCH_FLAT_EVENTS recorded events (5,000,000, with as many ledger entries), as ratios (target <= 1.2x). The
 * measured campaign, member and reward pool are the same in both rounds; what grows is everything around them, and
 * the reward pool, whose first half is issued before each round (25,000 of 50,000, then 250,000 of 500,000).
 * Opt-in (`BENCH_ONLY=cost-flat`): the setup takes many minutes at full size.
 */
const CAMPAIGN_CODES = 50_000;
const REWARD_CODES = { small: 50_000, large: 500_000 }; // the large one shrinks with BENCH_FLAT_CODES (a twentieth)
const ROUND_EVENTS = { one: 200, sixteen: 1500 };
const OTHER_POOLS = 100;
const OTHER_MEMBERS = 500_000;

/** Streams `total` generated COPY lines into `target` in one transaction. */
async function copyLines(ctx: BenchContext, target: string, total: number, line: (i: number) => string): Promise<void> {
  function* blocks() {
    for (let start = 0; start < total; start += 20_000) {
      let block = '';
      for (let i = start; i < Math.min(total, start + 20_000); i++) block += line(i) + '\n';
      yield block;
    }
  }
  const client = await ctx.db.connect();
  try {
    await client.query('begin');
    await pipeline(Readable.from(blocks()), client.query(copyFrom(`copy ${target} from stdin`)));
    await client.query('commit');
  } finally {
    client.release();
  }
}

async function medianMs(run: () => Promise<unknown>, times = 21): Promise<number> {
  const all: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await run();
    all.push(performance.now() - t);
  }
  return all.sort((a, b) => a - b)[Math.floor(times / 2)];
}

/** Issues the first half of the reward pool (lowest codes first, as the redemption takes them). */
async function issueHalf(ctx: BenchContext, poolId: string, size: number): Promise<void> {
  await ctx.db.query(
    `update codes set status = 'awarded', member_id = 'flat-member', status_changed_at = now()
      where code in (select code from codes where pool_id = $1 order by code limit $2)`,
    [poolId, size / 2],
  );
}

interface Round {
  redeemP50: number;
  redeemRate: number;
  stats: number;
  eventLog: number;
  ledger: number;
  code: number;
  nextUnused: number;
}

async function measure(ctx: BenchContext, round: number, rewardPool: string): Promise<Round> {
  const get = (path: string) => async () => {
    const { status } = await call(`${ctx.baseUrl}${path}`, 'GET', ctx.headers);
    if (status !== 200) throw new Error(`${path}: ${status}`);
  };
  const base = round * (ROUND_EVENTS.one + ROUND_EVENTS.sixteen + 100);
  const redeem = async (i: number) => {
    const n = base + i + 1;
    const body = { id: `flat-${n}`, name: 'code_entered', memberId: `flat-${n % 100}`, attributes: { code: `FLAT${n}` } };
    const { body: outcome } = await call(`${ctx.baseUrl}/v1/events`, 'POST', ctx.headers, body);
    if ((outcome as { outcome?: string }).outcome !== 'redeemed') throw new Error(`flat ${n}: ${JSON.stringify(outcome)}`);
  };
  await drive(100, redeem, 4, ROUND_EVENTS.one + ROUND_EVENTS.sixteen); // warm-up
  const one = stats(await drive(ROUND_EVENTS.one, redeem, 1));
  const sixteen = stats(await drive(ROUND_EVENTS.sixteen, redeem, 16, ROUND_EVENTS.one));
  // Taking the next unused code of the reward pool, rolled back so every take finds the same first unused code.
  const take = async () => {
    const client = await ctx.db.connect();
    try {
      await client.query('begin');
      if (!(await takeUnusedCode(client, rewardPool))) throw new Error('reward pool empty');
    } finally {
      await client.query('rollback');
      client.release();
    }
  };
  return {
    redeemP50: one.p50,
    redeemRate: sixteen.rate,
    stats: await medianMs(get('/v1/campaigns/flat/stats')),
    eventLog: await medianMs(get('/v1/events?limit=50')),
    ledger: await medianMs(get('/v1/members/flat-1/transactions?limit=50')),
    code: await medianMs(get(`/v1/codes/FLAT${base + 1}`)),
    nextUnused: await medianMs(take),
  };
}

export async function benchCostFlat(ctx: BenchContext, large: { codes: number; events: number }): Promise<void> {
  const { db } = ctx;
  console.log(
    `\n## Cost flat as data grows (${count(CAMPAIGN_CODES + REWARD_CODES.small)} codes, then ${count(large.codes)} codes and ${count(large.events)} events)`,
  );
  await db.query(
    `insert into event_schemas (name, attributes) values ('code_entered', '[{"name":"code","type":"text","required":true}]') on conflict do nothing`,
  );
  await db.query(
    `insert into campaigns (id, name, visibility, status, trigger_event, trigger_attribute, rules)
     values ('flat', 'flat', '{"type":"everyone"}', 'active', 'code_entered', 'code',
             '[{"name":"all","conditions":{"all":[{"fact":"member","path":"$.id","operator":"notEqual","value":""}]},"effects":[{"type":"add_points","points":10}]}]')`,
  );
  const pool = async (kind: string, owner: string) =>
    (await db.query(`insert into code_pools (id, kind, owner_id) values (gen_random_uuid(), $1, $2) returning id`, [kind, owner])).rows[0]
      .id as string;
  const campaignPool = await pool('campaign', 'flat');
  const rewardPool = await pool('reward', 'flat-reward');
  await db.query(`insert into members (id) select 'flat-' || g from generate_series(0, 99) g`);
  await db.query(`insert into members (id) values ('flat-member')`);
  // The measured member's ledger holds more than a page in both rounds.
  await db.query(
    `insert into point_transactions (member_id, kind, points, source, reference) select 'flat-1', 'credit', 1, 'bench', 'flat-ledger-' || g from generate_series(1, 100) g`,
  );
  await copyLines(ctx, 'codes (code, pool_id)', CAMPAIGN_CODES, (i) => `FLAT${i + 1}\t${campaignPool}`);
  await copyLines(ctx, 'codes (code, pool_id)', REWARD_CODES.small, (i) => `RWD${String(i).padStart(9, '0')}\t${rewardPool}`);
  await issueHalf(ctx, rewardPool, REWARD_CODES.small);
  await db.query('vacuum analyze');
  const small = await measure(ctx, 0, rewardPool);

  const rewardLarge = Math.max(REWARD_CODES.small, Math.min(REWARD_CODES.large, Math.floor(large.codes / 20)));
  const started = performance.now();
  // The reward pool grows to 500,000 codes (its first half issued), the rest of the codes in other pools; events and
  // ledger entries of other members.
  const others: string[] = [];
  for (let p = 0; p < OTHER_POOLS; p++) others.push(await pool('campaign', `other-${p}`));
  await db.query(`update codes set status = 'unused', member_id = null where pool_id = $1`, [rewardPool]);
  await copyLines(
    ctx,
    'codes (code, pool_id)',
    rewardLarge - REWARD_CODES.small,
    (i) => `RWD${String(REWARD_CODES.small + i).padStart(9, '0')}\t${rewardPool}`,
  );
  await issueHalf(ctx, rewardPool, rewardLarge);
  const otherCodes = large.codes - CAMPAIGN_CODES - rewardLarge;
  await copyLines(ctx, 'codes (code, pool_id)', otherCodes, (i) => `OTH${i}\t${others[i % OTHER_POOLS]}`);
  await copyLines(ctx, 'members (id)', OTHER_MEMBERS, (i) => `other-${i}`);
  const day = 86_400_000;
  const since = Date.now() - 90 * day;
  await copyLines(
    ctx,
    'redemption_events (event_id, api_key, campaign_id, member_id, code, outcome, reason, result, points, guess_failure, created_at)',
    large.events,
    (i) => {
      const redeemed = i % 5 !== 0;
      const at = new Date(since + Math.floor((i / large.events) * 89 * day)).toISOString();
      return `old-${i}\tproducer:bulk\tother-${i % OTHER_POOLS}\tother-${i % OTHER_MEMBERS}\tOTH${i}\t${redeemed ? 'redeemed' : 'rejected'}\t${redeemed ? '\\N' : 'conditions_not_met'}\t{}\t${redeemed ? 10 : 0}\tf\t${at}`;
    },
  );
  await copyLines(
    ctx,
    'point_transactions (member_id, kind, points, source, reference)',
    large.events,
    (i) => `other-${i % OTHER_MEMBERS}\tcredit\t10\tcampaign:other-${i % OTHER_POOLS}\tbulk:${i}`,
  );
  await db.query('vacuum analyze');
  const setupMs = performance.now() - started;
  const big = await measure(ctx, 1, rewardPool);

  console.log(`setup of the large database (COPY, then vacuum analyze): ${seconds(setupMs)}`);
  console.log('| measured | 100,000 codes | large | ratio (target <= 1.2x) |');
  console.log('| --- | --- | --- | --- |');
  const row = (name: string, a: number, b: number, unit: string, higherIsBetter = false) => {
    const ratio = higherIsBetter ? a / b : b / a;
    console.log(
      `| ${name} | ${a.toFixed(1)} ${unit} | ${b.toFixed(1)} ${unit} | ${ratio.toFixed(2)}x ${ratio <= 1.2 ? 'met' : 'MISSED'} |`,
    );
  };
  row('POST /v1/events, 1 caller p50', small.redeemP50, big.redeemP50, 'ms');
  row('POST /v1/events, 16 callers', small.redeemRate, big.redeemRate, '/s', true);
  row('GET /v1/campaigns/:id/stats', small.stats, big.stats, 'ms');
  row('GET /v1/events (first page)', small.eventLog, big.eventLog, 'ms');
  row("GET /v1/members/:id/transactions (a member's ledger page)", small.ledger, big.ledger, 'ms');
  row('GET /v1/codes/:code', small.code, big.code, 'ms');
  row('next unused code of a reward pool, half of it issued', small.nextUnused, big.nextUnused, 'ms');
}
