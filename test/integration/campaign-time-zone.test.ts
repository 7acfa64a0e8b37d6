import { eventually, startTestSystem, type TestSystem } from '../support/test-system';
import { addCodes, addMembers, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';
import { frequencyWindowStart } from '../../domain/frequency-window';
import type { Frequency } from '../../model/frequency';

/**
 * Frequency limits counted in the campaign's time zone (issue 28). The event path decides by a clock the test sets
 * (AppContext.clock), and each redemption's recorded time is moved to that instant, as if it had happened then.
 */
let system: TestSystem;
let now = new Date();
let seq = 0;

beforeAll(async () => {
  system = await startTestSystem({ clock: () => now });
  await createCodeEventSchema(system);
  await addMembers(system, ['m-paris', 'm-la', 'm-utc', 'm-rolling', 'm-autumn']);
});
afterAll(() => system.stop());

async function campaign(id: string, timeZone: string, frequency: Frequency, codeCount = 10) {
  await createCampaign(system, id, { timeZone, frequency });
  const codes = Array.from({ length: codeCount }, (_, i) => `${id.toUpperCase().replace(/-/g, '')}${i}`);
  await addCodes(system, id, codes);
  return codes;
}

/** Posts an event at `at` (UTC) and records it as having happened then; answers its outcome. */
async function redeemAt(at: string, memberId: string, code: string): Promise<string> {
  now = new Date(at);
  const eventId = `tz-${++seq}`;
  const res = await postEvent(system, eventId, memberId, code);
  expect(res.status).toBe(200);
  await system.db.query(`update redemption_events set created_at = $2 where event_id = $1`, [eventId, now]);
  return res.body.outcome === 'redeemed' ? 'redeemed' : res.body.reason;
}

const day: Frequency = { count: 1, period: 'day' };

test('Europe/Paris, 1 a day: 23:30 and 00:30 local are two days on both sides of the spring change, UTC sees one', async () => {
  const paris = await campaign('tz-paris', 'Europe/Paris', day);
  const utc = await campaign('tz-utc', 'UTC', day);
  // 23:30 CET on 28 March and 00:30 CET on 29 March (the 23-hour day): one UTC day (22:30Z, 23:30Z).
  expect(await redeemAt('2026-03-28T22:30:00Z', 'm-paris', paris[0])).toBe('redeemed');
  expect(await redeemAt('2026-03-28T23:30:00Z', 'm-paris', paris[1])).toBe('redeemed');
  // 23:30 CEST on 29 March: still the day that began at 00:30 (now at +02:00).
  expect(await redeemAt('2026-03-29T21:30:00Z', 'm-paris', paris[2])).toBe('frequency_limit');
  // 00:30 CEST on 30 March: a new day.
  expect(await redeemAt('2026-03-29T22:30:00Z', 'm-paris', paris[3])).toBe('redeemed');

  // The same instants on a UTC campaign: the second falls on the same (UTC) day.
  expect(await redeemAt('2026-03-28T22:30:00Z', 'm-utc', utc[0])).toBe('redeemed');
  expect(await redeemAt('2026-03-28T23:30:00Z', 'm-utc', utc[1])).toBe('frequency_limit');
  expect(await redeemAt('2026-03-29T00:30:00Z', 'm-utc', utc[2])).toBe('redeemed');
});

test('Europe/Paris, 1 a day: the 25-hour autumn day is one day', async () => {
  const codes = await campaign('tz-autumn', 'Europe/Paris', day);
  expect(await redeemAt('2026-10-24T21:30:00Z', 'm-autumn', codes[0])).toBe('redeemed'); // 23:30 CEST, 24 October
  expect(await redeemAt('2026-10-24T22:30:00Z', 'm-autumn', codes[1])).toBe('redeemed'); // 00:30 CEST, 25 October
  expect(await redeemAt('2026-10-25T22:30:00Z', 'm-autumn', codes[2])).toBe('frequency_limit'); // 23:30 CET, 25 October
  expect(await redeemAt('2026-10-25T23:30:00Z', 'm-autumn', codes[3])).toBe('redeemed'); // 00:30 CET, 26 October
});

test('America/Los_Angeles, 1 a day: 23:30 and 00:30 local around the spring change', async () => {
  const codes = await campaign('tz-la', 'America/Los_Angeles', day);
  expect(await redeemAt('2026-03-08T07:30:00Z', 'm-la', codes[0])).toBe('redeemed'); // 23:30 PST, 7 March
  expect(await redeemAt('2026-03-08T08:30:00Z', 'm-la', codes[1])).toBe('redeemed'); // 00:30 PST, 8 March
  expect(await redeemAt('2026-03-09T06:30:00Z', 'm-la', codes[2])).toBe('frequency_limit'); // 23:30 PDT, 8 March
  expect(await redeemAt('2026-03-09T07:30:00Z', 'm-la', codes[3])).toBe('redeemed'); // 00:30 PDT, 9 March
});

test('a rolling window means once every 24 hours, whatever the calendar', async () => {
  const codes = await campaign('tz-rolling', 'Europe/Paris', { count: 1, window: '24h' });
  expect(await redeemAt('2026-03-28T22:30:00Z', 'm-rolling', codes[0])).toBe('redeemed');
  expect(await redeemAt('2026-03-28T23:30:00Z', 'm-rolling', codes[1])).toBe('frequency_limit');
  expect(await redeemAt('2026-03-29T22:29:00Z', 'm-rolling', codes[2])).toBe('frequency_limit');
  expect(await redeemAt('2026-03-29T22:31:00Z', 'm-rolling', codes[3])).toBe('redeemed');
});

test("PostgreSQL's period boundaries (the snapshot) agree with the pure function (the simulator and replay)", async () => {
  const instants = [
    '2026-03-28T22:30:00Z',
    '2026-03-28T23:30:00Z',
    '2026-03-29T01:30:00Z',
    '2026-10-25T00:30:00Z',
    '2026-10-25T01:30:00Z',
    '2026-10-25T22:30:00Z',
    '2026-03-08T08:30:00Z',
    '2026-11-01T09:30:00Z',
    '2026-12-31T23:30:00Z',
    '2027-01-01T05:00:00Z',
  ];
  for (const zone of ['Europe/Paris', 'America/Los_Angeles', 'Asia/Tokyo', 'UTC']) {
    for (const period of ['day', 'week', 'month', 'year'] as const) {
      for (const at of instants) {
        const { rows } = await system.db.query(`select date_trunc($1, $2::timestamptz, $3) as start`, [period, at, zone]);
        expect([zone, period, at, (rows[0].start as Date).toISOString()]).toEqual([
          zone,
          period,
          at,
          frequencyWindowStart(new Date(at), { count: 1, period }, zone)!.toISOString(),
        ]);
      }
    }
  }
  const { rows } = await system.db.query(`select '90m'::interval = interval '90 minutes' and '24h'::interval = interval '24 hours'
    and '7d'::interval = interval '7 days' as same`);
  expect(rows[0].same).toBe(true);
});

test("daily stats buckets are the campaign's local days, with their offsets", async () => {
  const res = await system.api
    .get('/v1/campaigns/tz-paris/stats/timeseries?bucket=day&from=2026-03-27T00:00:00Z&to=2026-03-31T00:00:00Z')
    .set(system.as('marketer'));
  expect(res.status).toBe(200);
  expect(res.body.timeZone).toBe('Europe/Paris');
  expect(res.body.points.map((p: { at: string; redeemed: number; rejected: object }) => [p.at, p.redeemed, p.rejected])).toEqual([
    ['2026-03-28T00:00:00+01:00', 1, {}],
    ['2026-03-29T00:00:00+01:00', 1, { frequency_limit: 1 }],
    ['2026-03-30T00:00:00+02:00', 1, {}],
  ]);
});

test("hourly stats buckets are the campaign's local hours: Adelaide's 25-hour day (+10:30, then +09:30) has 25", async () => {
  // Daylight saving ends at 03:00 ACDT on 5 April 2026: the hour from 02:00 comes twice. One event per hour of that
  // local day, 20 minutes past: from 00:20 ACDT (13:50Z on the 4th) to 23:20 ACST (13:50Z on the 5th).
  await addMembers(system, ['m-hourly']);
  const codes = await campaign('tz-hourly', 'Australia/Adelaide', { count: 100, period: 'day' }, 25);
  const dayStart = Date.parse('2026-04-04T13:30:00Z');
  for (let h = 0; h < 25; h++) {
    expect(await redeemAt(new Date(dayStart + h * 3600_000 + 20 * 60_000).toISOString(), 'm-hourly', codes[h])).toBe('redeemed');
  }
  const stats = (bucket: string) =>
    system.api
      .get(`/v1/campaigns/tz-hourly/stats/timeseries?bucket=${bucket}&from=2026-04-04T13:30:00Z&to=2026-04-05T14:30:00Z`)
      .set(system.as('marketer'));
  const hourly = await stats('hour');
  expect(hourly.status).toBe(200);
  // Local hours on the half hour of UTC, labelled with their offset: 02:00 twice, once per offset.
  const local = (hour: number, offset: string) => `2026-04-05T${String(hour).padStart(2, '0')}:00:00${offset}`;
  const hours = [0, 1, 2].map((h) => local(h, '+10:30')).concat(Array.from({ length: 22 }, (_, i) => local(i + 2, '+09:30')));
  expect(hourly.body.points.map((p: { at: string; redeemed: number }) => [p.at, p.redeemed])).toEqual(hours.map((at) => [at, 1]));
  // The same 25 hours are one daily bucket.
  const daily = await stats('day');
  expect(daily.body.points.map((p: { at: string; redeemed: number }) => [p.at, p.redeemed])).toEqual([['2026-04-05T00:00:00+10:30', 25]]);
});

test('the time zone: defaulted, shown, changed, and refused when unknown', async () => {
  const created = await createCampaign(system, 'tz-default', {});
  expect(created.timeZone).toBe('UTC');
  const patched = await system.api.patch('/v1/campaigns/tz-default').set(system.as('marketer')).send({ timeZone: 'Asia/Tokyo' });
  expect(patched.status).toBe(200);
  expect(patched.body.timeZone).toBe('Asia/Tokyo');
  const bad = await system.api.patch('/v1/campaigns/tz-default').set(system.as('marketer')).send({ timeZone: 'Mars/Olympus_Mons' });
  expect(bad.status).toBe(400);
  expect(bad.body.error.field).toBe('timeZone');
  const badWindow = await system.api
    .patch('/v1/campaigns/tz-default')
    .set(system.as('marketer'))
    .send({ frequency: { count: 1, window: '1 day' } });
  expect(badWindow.status).toBe(400);
});

test('the frequency race holds in a time zone and a rolling window: 20 concurrent events, 2 per 24 h → exactly 2', async () => {
  now = new Date();
  await addMembers(system, ['m-race']);
  const daily = await campaign('tz-race-day', 'America/Los_Angeles', { count: 2, period: 'day' });
  const rolling = await campaign('tz-race-rolling', 'Asia/Tokyo', { count: 2, window: '24h' });
  const codes = [...daily, ...rolling];
  const outcomes = await Promise.all(codes.map((code, i) => postEvent(system, `race-${i}`, 'm-race', code)));
  const redeemed = (from: number, to: number) => outcomes.slice(from, to).filter((r) => r.body.outcome === 'redeemed').length;
  expect([redeemed(0, daily.length), redeemed(daily.length, codes.length)]).toEqual([2, 2]);
  expect(outcomes.every((r) => r.body.outcome === 'redeemed' || r.body.reason === 'frequency_limit')).toBe(true);
});

test("the final stats snapshot counts redemptions per day of the campaign's zone", async () => {
  const ended = await system.api.patch('/v1/campaigns/tz-autumn').set(system.as('marketer')).send({ status: 'ended' });
  expect(ended.status).toBe(200);
  const stats = await eventually(async () => {
    const res = await system.api.get('/v1/campaigns/tz-autumn').set(system.as('marketer'));
    return res.body.finalStats as { timeZone: string; redemptionsByDay: unknown[] } | null;
  });
  expect(stats.timeZone).toBe('Europe/Paris');
  // 23:30 CEST on 24 October, 00:30 CEST on 25 October, 00:30 CET on 26 October: three local days.
  expect(stats.redemptionsByDay).toEqual([
    { day: '2026-10-24', redeemed: 1, points: 10 },
    { day: '2026-10-25', redeemed: 1, points: 10 },
    { day: '2026-10-26', redeemed: 1, points: 10 },
  ]);
});
