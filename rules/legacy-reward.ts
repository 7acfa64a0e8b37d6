import { rewardInput, type RewardInput } from '../model/reward';
import { isCalendarDate } from '../model/calendar-date';
import { RuleSetError, validateConditions } from './validate-rules';

type Json = Record<string, unknown>;
type Errors = Array<{ field: string; message: string }>;

export type LegacyRewardResult = { ok: true; reward: RewardInput; ignored: string[] } | { ok: false; errors: Errors };

/** Legacy key → native key, for the fields copied as they are (zod judges their values). */
const COPIED: Record<string, string> = {
  reward_id: 'id',
  reward_name: 'name',
  reward_type: 'type',
  reward_sub_type: 'subType',
  reward_card_background_image_url: 'imageUrl',
  enduser_reward_short_description: 'shortDescription',
  enduser_reward_confirmation_html: 'confirmationHtml',
  enduser_reward_post_confirmation_html: 'postConfirmationHtml',
  reward_value: 'value',
};
const BOOLEANS: Record<string, string> = { is_active: 'active', show_on_guest_dashboard: 'shownToGuests' };
// Accepted but not imported: the vendor's own row id and timestamps are server-managed here, and coupon counts
// derive from the code pool (the codes themselves come in with POST /v1/code-imports?pool=reward:<id>).
const DERIVED = ['id', 'coupons_info', 'last_modified_date', 'created_date'];
const GROUP_DISPLAY_KEYS = ['show_on_member_dashboard', 'include_in_api_response'];
const ATTRIBUTE_KEYS: Record<string, string> = {
  attribute_id: 'id',
  attribute_name: 'name',
  attribute_type: 'type',
  is_attribute_mandatory: 'mandatory',
};
const TYPES = ['text', 'number', 'boolean', 'date'];

// Each attribute takes only the operators that can ever hold for its fact's type: json-rules-engine's equal is ===
// (never true against an array) and its greaterThan/lessThan only compare numbers, which none of these facts is.
type Kind = 'date' | 'list' | 'text';
const ATTRIBUTES: Record<string, { path: string; kind: Kind }> = {
  'enrolment date': { path: '$.enrolledAt', kind: 'date' },
  'enrollment date': { path: '$.enrolledAt', kind: 'date' },
  'user tags': { path: '$.tags', kind: 'list' },
  tags: { path: '$.tags', kind: 'list' },
  tier: { path: '$.tier', kind: 'text' },
  segments: { path: '$.segments', kind: 'list' },
  segment: { path: '$.segments', kind: 'list' },
};
const OPERATORS: Record<string, string> = {
  between: 'between',
  'contain all of': 'containsAllOf',
  'contain any of': 'containsAnyOf',
  equals: 'equal',
  equal: 'equal',
  is: 'equal',
  'is not': 'notEqual',
  'greater than': 'greaterThan',
  'less than': 'lessThan',
};
const OPERATORS_FOR: Record<Kind, string[]> = { date: ['between'], list: ['containsAllOf', 'containsAnyOf'], text: ['equal', 'notEqual'] };
const DATE_RANGE = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*-\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: Json, key: string) => Object.prototype.hasOwnProperty.call(o, key);
// Own keys only: "constructor" or "toString" must read as unknown, not as something on Object.prototype.
const lookup = <T>(table: Record<string, T>, name: unknown) => {
  const key = typeof name === 'string' ? name.trim().toLowerCase() : '';
  return has(table, key) ? table[key] : undefined;
};

function isoDate(m: string, d: string, y: string): string | null {
  if (!isCalendarDate(Number(y), Number(m), Number(d))) return null;
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/**
 * Turns a reward in the legacy vendor shape into the native `RewardInput`, or names every field it can't take
 * (legacy paths for what the adapter refuses, native paths for what the native schema then refuses).
 */
export function fromLegacyReward(input: unknown): LegacyRewardResult {
  if (!isObject(input)) return { ok: false, errors: [{ field: '', message: 'a legacy reward must be a JSON object' }] };
  const ctx = new Context();
  const out: Json = {};
  for (const [key, v] of Object.entries(input)) {
    // null reads as "not set", which is how the legacy export writes an empty optional field.
    if (v === null && key !== 'member_eligibility_rules' && key !== 'custom_transaction_attributes') continue;
    if (has(COPIED, key)) out[COPIED[key]] = v;
    else if (has(BOOLEANS, key)) out[BOOLEANS[key]] = ctx.boolean(v, key, BOOLEANS[key]);
    else if (key === 'points_to_be_redeemed') {
      if (typeof v === 'string' && /^\d+$/.test(v)) out.pointsCost = Number(v);
      else if (typeof v === 'number' && Number.isInteger(v)) out.pointsCost = v;
      else ctx.refuse(key, 'expected a whole number of points (digits only)', 'pointsCost');
    } else if (key === 'member_eligibility_rules') out.eligibility = eligibility(v, ctx);
    else if (key === 'custom_transaction_attributes') out.transactionAttributes = transactionAttributes(v, ctx);
    else if (DERIVED.includes(key)) ctx.ignored.push(key);
    else ctx.refuse(key, 'not a reward field this adapter knows');
  }
  const parsed = rewardInput.safeParse(out);
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const field = issue.path.join('.');
    if ([...ctx.reported].some((p) => field === p || field.startsWith(`${p}.`))) continue;
    const source = legacyPath(issue.path);
    ctx.errors.push({ field, message: source ? `${issue.message} (from ${source})` : issue.message });
  }
  if (!parsed.success || ctx.errors.length > 0) return { ok: false, errors: ctx.errors };
  return { ok: true, reward: parsed.data, ignored: ctx.ignored };
}

class Context {
  readonly errors: Errors = [];
  readonly ignored: string[] = [];
  /** Native paths already reported under their legacy name, so zod doesn't report them a second time. */
  readonly reported = new Set<string>();

  refuse(field: string, message: string, native?: string): undefined {
    this.errors.push({ field, message });
    if (native) this.reported.add(native);
    return undefined;
  }

  /** Legacy exports write booleans as "True"/"False". */
  boolean(v: unknown, field: string, native: string): boolean | undefined {
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
    return this.refuse(field, 'expected "True" or "False" (or a boolean)', native);
  }
}

function legacyPath([top, index, key]: Array<string | number>): string | undefined {
  if (top === 'transactionAttributes') {
    const legacy = Object.keys(ATTRIBUTE_KEYS).find((k) => ATTRIBUTE_KEYS[k] === key);
    return legacy && `custom_transaction_attributes.${index}.${legacy}`;
  }
  const all: Record<string, string> = { ...COPIED, ...BOOLEANS, points_to_be_redeemed: 'pointsCost' };
  return Object.keys(all).find((k) => all[k] === top);
}

// The native shape takes at most 50 groups, 50 attributes and 200 conditions per rule: longer lists are refused
// before they are walked, so a huge body can't keep the server busy reporting each of its items.
const MAX_ITEMS = 50;
const MAX_CONDITIONS = 400; // conditions and connectors alternate

function eligibility(groups: unknown, ctx: Context): unknown {
  const at = 'member_eligibility_rules';
  if (!Array.isArray(groups)) return ctx.refuse(at, 'expected an array of rule groups', 'eligibility');
  if (groups.length > MAX_ITEMS) return ctx.refuse(at, `at most ${MAX_ITEMS} rule groups`, 'eligibility');
  return groups.flatMap((group, i) => {
    const g = `${at}.${i}`;
    if (!isObject(group)) return ctx.refuse(g, 'a rule group must be an object', 'eligibility') ?? [];
    for (const key of Object.keys(group)) {
      if (GROUP_DISPLAY_KEYS.includes(key)) ctx.ignored.push(`${g}.${key}`);
      else if (key !== 'conditions') ctx.refuse(`${g}.${key}`, 'not a rule group field this adapter knows', 'eligibility');
    }
    const conditions = groupConditions(group.conditions, `${g}.conditions`, ctx);
    if (!conditions) return [];
    try {
      // The native rule check, so an adapter bug can't hand the API conditions it would refuse.
      validateConditions(conditions, `eligibility.${i}.conditions`);
    } catch (error) {
      if (!(error instanceof RuleSetError)) throw error;
      ctx.refuse(error.field, error.message, 'eligibility');
    }
    return [{ name: `Group ${i + 1}`, conditions }];
  });
}

/** The legacy list alternates conditions and "AND"/"OR"; native conditions have one connector per level. */
function groupConditions(list: unknown, at: string, ctx: Context): Json | undefined {
  if (!Array.isArray(list) || list.length === 0) return ctx.refuse(at, 'expected a non-empty array of conditions', 'eligibility');
  if (list.length > MAX_CONDITIONS) return ctx.refuse(at, `at most ${MAX_CONDITIONS / 2} conditions`, 'eligibility');
  const before = ctx.errors.length;
  const leaves: Json[] = [];
  const connectors = new Set<string>();
  list.forEach((item, j) => {
    if (j % 2 === 0) return leaves.push(condition(item, `${at}.${j}`, ctx) ?? {});
    const c = typeof item === 'string' ? item.trim().toUpperCase() : '';
    if (c === 'AND' || c === 'OR') connectors.add(c);
    else ctx.refuse(`${at}.${j}`, 'expected the connector "AND" or "OR" between two conditions', 'eligibility');
  });
  if (list.length % 2 === 0) ctx.refuse(at, 'ends with a connector: a condition must follow it', 'eligibility');
  if (connectors.size > 1)
    ctx.refuse(at, 'mixes AND and OR in one group: split it into groups (any one group makes a member eligible)', 'eligibility');
  if (ctx.errors.length > before) return undefined;
  return connectors.has('OR') ? { any: leaves } : { all: leaves };
}

function condition(item: unknown, at: string, ctx: Context): Json | undefined {
  if (!isObject(item)) return ctx.refuse(at, 'expected a condition object', 'eligibility');
  const before = ctx.errors.length;
  const fail = (field: string, message: string) => ctx.refuse(`${at}.${field}`, message, 'eligibility');
  for (const key of Object.keys(item))
    if (!['operator', 'attribute', 'value'].includes(key)) fail(key, 'not a condition field this adapter knows');
  const attribute = lookup(ATTRIBUTES, item.attribute);
  const operator = lookup(OPERATORS, item.operator);
  if (!attribute) fail('attribute', `unknown attribute ${JSON.stringify(item.attribute)}; use Enrolment Date, User Tags, Tier or Segments`);
  if (!operator)
    fail(
      'operator',
      `unknown operator ${JSON.stringify(item.operator)}; use Between, Contain all of, Contain any of, Equals, Is not, Greater than or Less than`,
    );
  if (!attribute || !operator) return undefined;
  if (!OPERATORS_FOR[attribute.kind].includes(operator)) {
    return fail(
      'operator',
      `"${item.operator}" can never hold for "${item.attribute}"; it takes ${OPERATORS_FOR[attribute.kind].join(' or ')}`,
    );
  }
  const v = item.value;
  let value: unknown = v;
  if (attribute.kind === 'date') {
    const m = typeof v === 'string' ? DATE_RANGE.exec(v) : null;
    value = m && [isoDate(m[1], m[2], m[3]), isoDate(m[4], m[5], m[6])];
    const [low, high] = (value ?? []) as Array<string | null>;
    if (!low || !high) fail('value', 'expected a range of real dates, M/D/YYYY-M/D/YYYY');
    else if (low > high) fail('value', 'the range ends before it starts');
  } else if (attribute.kind === 'list') {
    if (!Array.isArray(v) || v.length === 0 || !v.every((s) => typeof s === 'string' && s.length > 0))
      fail('value', 'expected a non-empty array of names');
  } else if (typeof v !== 'string') fail('value', 'expected a string');
  return ctx.errors.length > before ? undefined : { fact: 'member', path: attribute.path, operator, value };
}

function transactionAttributes(list: unknown, ctx: Context): unknown {
  const at = 'custom_transaction_attributes';
  if (!Array.isArray(list)) return ctx.refuse(at, 'expected an array of attributes', 'transactionAttributes');
  if (list.length > MAX_ITEMS) return ctx.refuse(at, `at most ${MAX_ITEMS} attributes`, 'transactionAttributes');
  return list.map((item, i) => {
    const a = `${at}.${i}`;
    if (!isObject(item)) return ctx.refuse(a, 'an attribute must be an object', `transactionAttributes.${i}`);
    const out: Json = {};
    for (const [key, v] of Object.entries(item)) {
      const native = `transactionAttributes.${i}.${ATTRIBUTE_KEYS[key]}`;
      if (!has(ATTRIBUTE_KEYS, key)) ctx.refuse(`${a}.${key}`, 'not an attribute field this adapter knows');
      else if (key === 'is_attribute_mandatory') out.mandatory = ctx.boolean(v, `${a}.${key}`, native);
      else if (key !== 'attribute_type') out[ATTRIBUTE_KEYS[key]] = v;
      else if (typeof v === 'string' && TYPES.includes(v.trim().toLowerCase())) out.type = v.trim().toLowerCase();
      else ctx.refuse(`${a}.${key}`, `unknown type ${JSON.stringify(v)}; use Text, Number, Boolean or Date`, native);
    }
    return out;
  });
}
