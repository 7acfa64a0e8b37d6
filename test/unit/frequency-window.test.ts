import { countsToward, FrequencyTally, frequencyWindowStart } from '../../domain/frequency-window';
import { frequency, windowMs, type Frequency } from '../../model/frequency';
import { timeZone } from '../../model/time-zone';

// 2026's changes: Europe/Paris springs forward on 29 March at 02:00 (01:00Z) and falls back on 25 October at
// 03:00 (01:00Z); America/Los_Angeles springs forward on 8 March at 02:00 (10:00Z) and falls back on 1 November at
// 02:00 (09:00Z).
const day: Frequency = { count: 1, period: 'day' };
const week: Frequency = { count: 1, period: 'week' };
const month: Frequency = { count: 1, period: 'month' };
const year: Frequency = { count: 1, period: 'year' };

describe('frequencyWindowStart: the start of the current period in the campaign time zone', () => {
  test.each<[string, Frequency, string, string, string]>([
    // zone, frequency, now (UTC), expected start (UTC), why
    ['Europe/Paris', day, '2026-03-28T22:30:00Z', '2026-03-27T23:00:00Z', '23:30 local the evening before the spring change'],
    ['Europe/Paris', day, '2026-03-28T23:30:00Z', '2026-03-28T23:00:00Z', '00:30 local on the 23-hour day'],
    ['Europe/Paris', day, '2026-03-29T12:00:00Z', '2026-03-28T23:00:00Z', 'noon UTC on the 23-hour day (14:00 CEST)'],
    ['Europe/Paris', day, '2026-03-29T22:30:00Z', '2026-03-29T22:00:00Z', '00:30 local the day after: midnight is now +02:00'],
    ['Europe/Paris', day, '2026-10-24T21:30:00Z', '2026-10-23T22:00:00Z', '23:30 local the evening before the autumn change'],
    ['Europe/Paris', day, '2026-10-24T22:30:00Z', '2026-10-24T22:00:00Z', '00:30 local on the 25-hour day'],
    ['Europe/Paris', day, '2026-10-25T00:30:00Z', '2026-10-24T22:00:00Z', '02:30 CEST, before the clocks go back'],
    ['Europe/Paris', day, '2026-10-25T01:30:00Z', '2026-10-24T22:00:00Z', '02:30 CET, the repeated hour'],
    ['Europe/Paris', day, '2026-10-25T22:30:00Z', '2026-10-24T22:00:00Z', '23:30 CET on the 25-hour day is still that day'],
    ['Europe/Paris', day, '2026-10-25T23:30:00Z', '2026-10-25T23:00:00Z', '00:30 local the day after: midnight is now +01:00'],
    ['America/Los_Angeles', day, '2026-03-08T07:30:00Z', '2026-03-07T08:00:00Z', '23:30 PST the evening before the spring change'],
    ['America/Los_Angeles', day, '2026-03-08T08:30:00Z', '2026-03-08T08:00:00Z', '00:30 PST on the 23-hour day'],
    ['America/Los_Angeles', day, '2026-03-08T12:00:00Z', '2026-03-08T08:00:00Z', '05:00 PDT on the 23-hour day'],
    ['America/Los_Angeles', day, '2026-03-09T07:30:00Z', '2026-03-09T07:00:00Z', '00:30 PDT the day after'],
    ['America/Los_Angeles', day, '2026-11-01T06:30:00Z', '2026-10-31T07:00:00Z', '23:30 PDT the evening before the autumn change'],
    ['America/Los_Angeles', day, '2026-11-01T20:00:00Z', '2026-11-01T07:00:00Z', 'noon PST on the 25-hour day'],
    ['America/Los_Angeles', day, '2026-11-02T08:30:00Z', '2026-11-02T08:00:00Z', '00:30 PST the day after'],
    ['Asia/Tokyo', day, '2026-12-02T00:30:00Z', '2026-12-01T15:00:00Z', 'Tokyo: the day turns at 15:00 UTC'],
    ['UTC', day, '2026-12-02T00:30:00Z', '2026-12-02T00:00:00Z', 'UTC as before'],
    ['Europe/Paris', week, '2026-03-29T12:00:00Z', '2026-03-22T23:00:00Z', 'a Sunday belongs to the week that began on Monday'],
    ['Europe/Paris', week, '2026-03-30T12:00:00Z', '2026-03-29T22:00:00Z', 'the next Monday starts a week, at +02:00'],
    ['America/Los_Angeles', week, '2026-03-10T12:00:00Z', '2026-03-09T07:00:00Z', 'Tuesday after the spring change'],
    ['Europe/Paris', month, '2026-04-01T00:30:00Z', '2026-03-31T22:00:00Z', '02:30 local on 1 April is April'],
    ['Europe/Paris', month, '2026-03-31T21:30:00Z', '2026-02-28T23:00:00Z', '23:30 local on 31 March is still March'],
    ['Europe/Paris', year, '2026-12-31T23:30:00Z', '2026-12-31T23:00:00Z', '00:30 local on 1 January 2027 is the new year'],
    ['Europe/Paris', year, '2026-12-31T22:30:00Z', '2025-12-31T23:00:00Z', '23:30 local on 31 December is the old year'],
    ['America/Los_Angeles', year, '2027-01-01T05:00:00Z', '2026-01-01T08:00:00Z', '21:00 local on 31 December, already 2027 in UTC'],
  ])('%s %j at %s starts at %s (%s)', (zone, f, now, start) => {
    expect(frequencyWindowStart(new Date(now), f, zone)?.toISOString()).toBe(new Date(start).toISOString());
  });

  test('a rolling window ends now and starts its length before, whatever the zone', () => {
    const now = new Date('2026-03-29T00:30:00Z');
    expect(frequencyWindowStart(now, { count: 1, window: '24h' }, 'Europe/Paris')?.toISOString()).toBe('2026-03-28T00:30:00.000Z');
    expect(frequencyWindowStart(now, { count: 1, window: '90m' }, 'UTC')?.toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(frequencyWindowStart(now, { count: 3, window: '7d' }, 'UTC')?.toISOString()).toBe('2026-03-22T00:30:00.000Z');
  });

  test('a lifetime limit has no start', () => {
    expect(frequencyWindowStart(new Date(), { count: 1, period: 'lifetime' }, 'Europe/Paris')).toBeNull();
  });
});

describe('countsToward: 23:30 and 00:30 local are two days, one calendar day or one rolling window', () => {
  test.each<[string, string, string, Frequency, boolean]>([
    // zone, earlier redemption, decision, frequency, counts?
    ['Europe/Paris', '2026-03-28T22:30:00Z', '2026-03-28T23:30:00Z', day, false],
    ['Europe/Paris', '2026-10-24T21:30:00Z', '2026-10-24T22:30:00Z', day, false],
    ['America/Los_Angeles', '2026-03-08T07:30:00Z', '2026-03-08T08:30:00Z', day, false],
    ['America/Los_Angeles', '2026-11-01T06:30:00Z', '2026-11-01T07:30:00Z', day, false],
    ['UTC', '2026-03-28T22:30:00Z', '2026-03-28T23:30:00Z', day, true],
    ['Europe/Paris', '2026-03-28T22:30:00Z', '2026-03-28T23:30:00Z', { count: 1, window: '24h' }, true],
    ['Europe/Paris', '2026-03-28T23:30:00Z', '2026-03-29T23:30:00Z', { count: 1, window: '24h' }, false],
    ['Europe/Paris', '2026-03-28T23:00:00Z', '2026-03-29T12:00:00Z', day, true],
  ])('%s: a redemption at %s, a decision at %s, %j → %s', (zone, at, now, f, expected) => {
    expect(countsToward(new Date(at), new Date(now), f, zone)).toBe(expected);
  });
});

describe('FrequencyTally (the what-if replay)', () => {
  test('counts what the snapshot would have counted at each instant', () => {
    const tally = new FrequencyTally(day, 'Europe/Paris');
    tally.record('m1', new Date('2026-03-28T22:30:00Z'));
    expect(tally.countAt('m1', new Date('2026-03-28T22:45:00Z'))).toBe(1);
    expect(tally.countAt('m1', new Date('2026-03-28T23:30:00Z'))).toBe(0);
    expect(tally.countAt('m2', new Date('2026-03-28T22:45:00Z'))).toBe(0);
    expect(new FrequencyTally(null, 'UTC').countAt('m1', new Date())).toBe(0);
  });
});

describe('the model: frequency and time zone', () => {
  test.each([
    [{ count: 1, period: 'day' }, true],
    [{ count: 1, window: '24h' }, true],
    [{ count: 2, window: '90m' }, true],
    [{ count: 1, window: '366d' }, true],
    [{ count: 1, window: '367d' }, false],
    [{ count: 1, window: '0h' }, false],
    [{ count: 1, window: '24 hours' }, false],
    [{ count: 1, window: '1w' }, false],
    [{ count: 1, period: 'day', window: '24h' }, false],
    [{ count: 0, window: '24h' }, false],
  ])('%j valid: %s', (value, ok) => {
    expect(frequency.safeParse(value).success).toBe(ok);
  });

  test('window lengths', () => {
    expect(windowMs('24h')).toBe(86_400_000);
    expect(windowMs('90m')).toBe(5_400_000);
    expect(windowMs('7d')).toBe(604_800_000);
  });

  test.each([
    ['Europe/Paris', true],
    ['America/Los_Angeles', true],
    ['UTC', true],
    ['Mars/Olympus_Mons', false],
    ['+01:00', false],
    ['', false],
  ])('time zone %j valid: %s', (value, ok) => {
    expect(timeZone.safeParse(value).success).toBe(ok);
  });
});
