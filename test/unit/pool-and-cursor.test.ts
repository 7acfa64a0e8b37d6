import { parsePoolReference } from '../../model/pool';
import { decodeCursor, encodeCursor, keysetPage } from '../../api/cursor';
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
});
