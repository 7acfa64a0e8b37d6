import { validateEventAttributes } from '../../rules/event-validation';
import { isCalendarDate } from '../../model/calendar-date';
import type { EventSchema } from '../../db/event-schemas';

const schema: EventSchema = {
  name: 'purchase',
  attributes: [
    { name: 'amount', type: 'number', required: true },
    { name: 'store', type: 'text' },
    { name: 'firstOrder', type: 'boolean', required: false },
    { name: 'orderedOn', type: 'date' },
    { name: 'constructor', type: 'text' },
  ],
  active: true,
  createdAt: new Date(),
  updatedAt: new Date(),
};

const check = (attributes: unknown) => validateEventAttributes(schema, attributes);
const failure = (code: string, field: string) => ({ ok: false, code, field, message: expect.any(String) });

describe('validateEventAttributes', () => {
  it('accepts every type and returns only the given attributes', () => {
    expect(check({ amount: 12.5, store: 'Berlin', firstOrder: false, orderedOn: '2026-03-01' })).toEqual({
      ok: true,
      attributes: { amount: 12.5, store: 'Berlin', firstOrder: false, orderedOn: '2026-03-01T00:00:00.000Z' },
    });
    expect(check({ amount: 0 })).toEqual({ ok: true, attributes: { amount: 0 } });
  });

  it.each([
    ['a string', 'x'],
    ['null', null],
    ['an array', [1]],
    ['a number', 3],
    ['a date', new Date()],
    ['a class instance', new (class A {})()],
  ])('refuses %s as the attributes', (_name, value) => expect(check(value)).toEqual(failure('invalid_attributes', 'attributes')));

  it('accepts an object without a prototype', () => {
    const bare = Object.assign(Object.create(null), { amount: 1 });
    expect(check(bare)).toEqual({ ok: true, attributes: { amount: 1 } });
  });

  it('refuses an attribute the schema does not declare, naming it', () => {
    expect(check({ amount: 1, colour: 'red' })).toEqual(failure('unknown_attribute', 'attributes.colour'));
    expect(check(JSON.parse('{"amount": 1, "__proto__": {"x": 1}}'))).toEqual(failure('unknown_attribute', 'attributes.__proto__'));
  });

  it('refuses a missing required attribute, also when sent as null', () => {
    expect(check({ store: 'x' })).toEqual(failure('missing_attribute', 'attributes.amount'));
    expect(check({ amount: null })).toEqual(failure('missing_attribute', 'attributes.amount'));
  });

  it('drops an optional attribute sent as null', () => {
    expect(check({ amount: 1, store: null })).toEqual({ ok: true, attributes: { amount: 1 } });
  });

  it('does not read attributes off Object.prototype', () => {
    expect(check({ amount: 1 })).toEqual({ ok: true, attributes: { amount: 1 } });
    expect(check({ amount: 1, constructor: 'own' })).toEqual({ ok: true, attributes: { amount: 1, constructor: 'own' } });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a number as text', { store: 5 }, 'store'],
    ['text over 1000 characters', { store: 'x'.repeat(1001) }, 'store'],
    ['a numeric string as number', { amount: '5' }, 'amount'],
    ['NaN', { amount: NaN }, 'amount'],
    ['Infinity', { amount: Infinity }, 'amount'],
    ['a string as boolean', { firstOrder: 'true' }, 'firstOrder'],
    ['0 as boolean', { firstOrder: 0 }, 'firstOrder'],
    ['a number as date', { orderedOn: 1767225600000 }, 'orderedOn'],
    ['a day that does not exist', { orderedOn: '2026-02-30' }, 'orderedOn'],
    ['a month that does not exist', { orderedOn: '2026-13-01' }, 'orderedOn'],
    ['a date-time on a day that does not exist', { orderedOn: '2026-02-29T10:00:00Z' }, 'orderedOn'],
    ['hour 24', { orderedOn: '2026-01-01T24:00:00Z' }, 'orderedOn'],
    ['a date-time without a zone', { orderedOn: '2026-01-01T10:00:00' }, 'orderedOn'],
    ['a free-form date', { orderedOn: 'March 1, 2026' }, 'orderedOn'],
    ['a date with a slash', { orderedOn: '2026/03/01' }, 'orderedOn'],
  ])('refuses %s', (_name, attributes, field) => {
    expect(check({ amount: 1, ...attributes })).toEqual(failure('wrong_attribute_type', `attributes.${field}`));
  });

  it('accepts text of exactly 1000 characters', () => {
    expect(check({ amount: 1, store: 'x'.repeat(1000) })).toMatchObject({ ok: true });
  });

  it.each([
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2026-03-01T10:15Z', '2026-03-01T10:15:00.000Z'],
    ['2026-03-01T10:15:30.5+02:00', '2026-03-01T08:15:30.500Z'],
    ['2026-03-01T00:30:00-0130', '2026-03-01T02:00:00.000Z'],
  ])('normalises the date %s to %s', (input, iso) => {
    expect(check({ amount: 1, orderedOn: input })).toEqual({ ok: true, attributes: { amount: 1, orderedOn: iso } });
  });

  it('checks the unknown attribute before anything else', () => {
    expect(check({ colour: 'red' })).toEqual(failure('unknown_attribute', 'attributes.colour'));
  });
});

describe('isCalendarDate', () => {
  it.each([
    [2024, 2, 29, true],
    [2026, 2, 29, false],
    [2026, 4, 31, false],
    [2026, 12, 31, true],
    [2026, 0, 10, false],
    [2026, 1, 0, false],
    [50, 3, 1, true],
  ])('%i-%i-%i is %s', (y, m, d, real) => expect(isCalendarDate(y, m, d)).toBe(real));
});
