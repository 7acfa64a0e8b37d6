import { checkImportRow } from '../../domain/import-row';

describe('checkImportRow', () => {
  it.each([
    ['summer-4f7k', null, { ok: true, code: 'SUMMER4F7K', expiresAt: null }],
    ['ABC', '2026-12-31', { ok: true, code: 'ABC', expiresAt: '2026-12-31T00:00:00.000Z' }],
    ['ABC', '2026-12-31T10:00:00+02:00', { ok: true, code: 'ABC', expiresAt: '2026-12-31T08:00:00.000Z' }],
    ['', null, { ok: false, reason: 'empty' }],
    ['AB$C', null, { ok: false, reason: 'bad_characters' }],
    ['A'.repeat(65), null, { ok: false, reason: 'too_long' }],
    ['ABC', 'tomorrow', { ok: false, reason: 'bad_expires_at' }],
    // Found by the hostile CSV property: year 0 parsed in JavaScript, then failed the insert on every retry.
    ['ABC', '0000-01-01', { ok: false, reason: 'bad_expires_at' }],
    ['ABC', '2026-02-30', { ok: false, reason: 'bad_expires_at' }],
    ['ABC', '2026-01-01T25:00', { ok: false, reason: 'bad_expires_at' }],
  ])('%s expiring %s → %j', (code, expires, expected) => expect(checkImportRow(code, expires)).toEqual(expected));
});
