import type { BenchContext } from './context';
import { drive, percentile, stats, type Run } from './drive';

/** Callers in flight, for the redemption section and the runs beside a replay alike. */
export const CONCURRENCY = 16;
export const REPLAY_EVENTS = 10_000;
export const REPLAY_RULES = 50;

/** A large draft rule set: 49 rules of 4 conditions that no bench member meets, then one everyone meets. */
function largeRuleSet() {
  const never = (i: number) => ({
    name: `tier-${i}`,
    conditions: {
      all: [
        { fact: 'member', path: '$.id', operator: 'notEqual', value: '' },
        { fact: 'event', path: '$.attributes.code', operator: 'notEqual', value: `NONE${i}` },
        { fact: 'member', path: '$.balance', operator: 'greaterThanInclusive', value: 0 },
        { fact: 'member', path: '$.tier', operator: 'equal', value: `tier-${i}` },
      ],
    },
    effects: [{ type: 'add_points', points: i + 1 }],
  });
  const everyone = {
    name: 'all',
    conditions: { all: [{ fact: 'member', path: '$.id', operator: 'notEqual', value: '' }] },
    effects: [{ type: 'add_points', points: 5 }],
  };
  return [...Array.from({ length: REPLAY_RULES - 1 }, (_, i) => never(i)), everyone];
}

const REPLAY_ROUNDS = 3;
/** Events per window, as a share of the run's 16-caller events: a window lasts about 2 s, within the replay beside it. */
const replayWindow = (total: number) => Math.floor(total / 2);

/** Codes the runs beside the replay redeem: each round's window alone and with a replay. */
export const codesBesideReplay = (total: number) => 2 * REPLAY_ROUNDS * replayWindow(total);

/**
 * Issue 23: POST /v1/events at 16 callers alone and with a what-if replay of 10,000 recorded events (a 50-rule
 * draft) running, in interleaved rounds (alone, with, alone, with...: a checkpoint or an autovacuum lands on both
 * sides alike), each replay awaited before the next round. The p99s compare the rounds' latencies pooled.
 */
export async function besideReplay(
  ctx: BenchContext,
  total: number,
  first: number,
  redeem: (i: number) => Promise<void>,
  post: (url: string, body: unknown) => Promise<unknown>,
) {
  await ctx.db.query(
    `insert into redemption_events (event_id, api_key, campaign_id, member_id, code, outcome, result, points, attributes, created_at)
     select 'replayed-' || g, 'bench-replay', 'bench', 'bench-' || (g % 1000 + 1), 'RDM' || g, 'redeemed', '{}', 10,
            jsonb_build_object('code', 'RDM' || g), now() - interval '1 day' + g * interval '1 ms'
       from generate_series(1, $1) g`,
    [REPLAY_EVENTS],
  );
  const each = replayWindow(total);
  const alone: Run = { latencies: [], wallMs: 0 };
  const withReplay: Run = { latencies: [], wallMs: 0 };
  const pool = (into: Run, run: Run) => {
    into.latencies.push(...run.latencies);
    into.wallMs += run.wallMs;
  };
  const replay = () => post(`${ctx.baseUrl}/v1/campaigns/bench/replay`, { rules: largeRuleSet(), limit: REPLAY_EVENTS });
  // One replay first, alone, like the events' warm-up: the first replay of a process found its thread's code cold
  // (not yet optimised by V8) and its connection not yet made, and raised that round's p99 more than the next ones.
  await replay();
  const replayTimes: number[] = [];
  let next = first;
  for (let round = 0; round < REPLAY_ROUNDS; round++) {
    pool(alone, await drive(each, redeem, CONCURRENCY, next));
    next += each;
    const t = performance.now();
    const running = replay();
    pool(withReplay, await drive(each, redeem, CONCURRENCY, next));
    next += each;
    const answer = (await running) as { events?: number };
    if (answer.events !== REPLAY_EVENTS) throw new Error(`replay: ${JSON.stringify(answer).slice(0, 200)}`);
    replayTimes.push(performance.now() - t);
  }
  for (const run of [alone, withReplay]) run.latencies.sort((a, b) => a - b);
  replayTimes.sort((a, b) => a - b);
  return { alone: stats(alone), withReplay: stats(withReplay), replays: replayTimes.length, replayMs: percentile(replayTimes, 50) };
}
