import { parsePoolReference } from '../../model/pool';
import { decodeCursor, encodeCursor, isUuid, keysetPage, readTimeAndId, readWholeNumber, decodeRequestedCursor } from '../../api/cursor';
import { DomainError } from '../../model/errors';

describe('parsePoolReference (the one reader of campaign:<id> / reward:<id>)', () => {
  it.each([
    ['campaign:summer-2026', { type: 'campaign', id: 'summer-2026' }],
    ['reward:$5_OFF', { type: 'reward', id: '$5_OFF' }],
    ['reward:shop:10', { type: 'reward', id: 'shop:10' }], // an id may itself hold a colon
    ['bank', null],
    ['campaign:', null],
    ['shop:1', null],
    ['campaign:has space', null],
    [`campaign:${'x'.repeat(129)}`, null],
  ])('%s → %j', (text, expected) => expect(parsePoolReference(text)).toEqual(expected));
});

describe('keyset cursors', () => {
  const readDigits = (text: string) => (/^\d{1,15}$/.test(text) ? Number(text) : undefined);

  it('round-trips a key and is opaque (base64url)', () => {
    expect(encodeCursor('ABC123')).toBe('QUJDMTIz');
    expect(decodeCursor(encodeCursor(42), readDigits)).toBe(42);
    expect(decodeCursor(undefined, readDigits)).toBeUndefined();
  });

  it.each(['abc', '-1', '%%%', encodeCursor('12a')])('refuses %s as invalid_cursor', (cursor) => {
    expect(() => decodeCursor(cursor, readDigits)).toThrow(
      expect.objectContaining({ kind: 'invalid', code: 'invalid_cursor', field: 'cursor' }) as DomainError,
    );
  });

  it('pages limit+1 rows into the page and the next cursor', () => {
    expect(keysetPage([1, 2, 3], 2, String)).toEqual({ items: [1, 2], nextCursor: encodeCursor('2') });
    expect(keysetPage([1, 2], 2, String)).toEqual({ items: [1, 2], nextCursor: null });
  });

  const readDeliveryKey = readTimeAndId(isUuid);
  const id = '0b7c3a52-6f1e-4d7a-9a4e-5c2f1d3e4b5a';

  it('keeps a (time, id) key at microseconds: two rows of one millisecond have two cursors', () => {
    const first = encodeCursor(['2026-12-02T12:00:00.123456Z', id]);
    const second = encodeCursor(['2026-12-02T12:00:00.123457Z', id]);
    expect(first).not.toBe(second);
    expect(decodeCursor(first, readDeliveryKey)).toEqual({ at: '2026-12-02T12:00:00.123456Z', id });
  });

  it.each([
    ['milliseconds (a cursor of the previous version)', ['2026-12-02T12:00:00.123Z', id], true],
    ['whole seconds', ['2026-12-02T12:00:00Z', id], true],
    ['more than microseconds', ['2026-12-02T12:00:00.1234567Z', id], false],
    ['an offset other than Z', ['2026-12-02T12:00:00.123456+01:00', id], false],
    ['not a date', ['2026-13-45T12:00:00Z', id], false],
    ['a day that does not exist', ['2026-02-30T12:00:00Z', id], false],
    ['year 0, which PostgreSQL refuses', ['0000-01-01T00:00:00Z', id], false],
    ['an id of the wrong shape', ['2026-12-02T12:00:00Z', 'x'], false],
    ['three elements', ['2026-12-02T12:00:00Z', id, id], false],
    ['an object', { at: '2026-12-02T12:00:00Z', id }, false],
  ])('a (time, id) cursor with %s is accepted: %s', (_what, key, accepted) => {
    const cursor = Buffer.from(JSON.stringify(key)).toString('base64url');
    if (accepted) expect(decodeCursor(cursor, readDeliveryKey)).toBeDefined();
    else expect(() => decodeCursor(cursor, readDeliveryKey)).toThrow(expect.objectContaining({ code: 'invalid_cursor' }) as DomainError);
  });

  it.each([
    [{ cursor: encodeCursor(7) }, 7],
    [{ before: encodeCursor(8) }, 8],
    [{}, undefined],
  ])('reads the cursor of %j under its name or its deprecated one', (query, expected) => {
    expect(decodeRequestedCursor(query, 'before', readWholeNumber)).toBe(expected);
  });

  it.each([
    ['both names at once', { cursor: encodeCursor(7), before: encodeCursor(7) }, 'before'],
    ['a bad cursor', { cursor: 'abc' }, 'cursor'],
    ['a bad cursor under the deprecated name', { before: 'abc' }, 'before'],
  ])('refuses %s, naming the parameter', (_what, query, field) => {
    expect(() => decodeRequestedCursor(query, 'before', readWholeNumber)).toThrow(
      expect.objectContaining({ code: 'invalid_cursor', field }) as DomainError,
    );
  });

  it.each([
    ['17', 17],
    ['0', 0],
    ['-1', undefined],
    ['1.5', undefined],
    ['1'.repeat(16), undefined],
  ])('reads %s as a whole-number key: %s', (text, expected) => expect(readWholeNumber(text)).toBe(expected));
});
