import { DateTime } from 'luxon';
import type { Schemas } from '../../api/client';
import type { RequestedCampaignStatus } from '../../api/enums';

/** Everything the wizard collects; turned into one POST /v1/campaigns only when the summary is confirmed. */
export interface Draft {
  schemaMode: 'existing' | 'new';
  eventName: string;
  codeAttribute: string;
  newAttributes: string;
  generate: boolean;
  quantity: number;
  length: number;
  prefix: string;
  charset: 'numeric' | 'alpha' | 'alphanumeric' | 'custom';
  alphabet: string;
  excludeLookAlikes: boolean;
  checkCharacter: 'none' | 'luhn' | 'damm';
  id: string;
  name: string;
  description: string;
  translations: Array<{ lang: string; name: string; description: string }>;
  /** IANA zone the campaign counts its days in; the dates above are read in it too. */
  timeZone: string;
  startsAt: string;
  endsAt: string;
  displayOrder: number;
  visibility: 'everyone' | 'segments' | 'tiers';
  visibleTo: string;
  status: RequestedCampaignStatus;
  rulesText: string;
  frequencyOn: boolean;
  frequencyCount: number;
  /** A calendar period, or a rolling window such as 24h (see FREQUENCY_CHOICES). */
  frequencyPeriod: string;
  budgetOn: boolean;
  budgetKind: 'points' | 'redemptions';
  budgetCap: number;
}

export const STARTER_RULES = JSON.stringify(
  [
    {
      name: 'Gold members earn 100 points',
      conditions: { all: [{ fact: 'member', path: '$.tier', operator: 'equal', value: 'gold' }] },
      effects: [{ type: 'add_points', points: 100 }],
    },
  ],
  null,
  2,
);

export const initialDraft: Draft = {
  schemaMode: 'existing',
  eventName: '',
  codeAttribute: 'code',
  newAttributes: '',
  generate: true,
  quantity: 1000,
  length: 8,
  prefix: '',
  charset: 'alphanumeric',
  alphabet: '',
  excludeLookAlikes: true,
  checkCharacter: 'none',
  id: '',
  name: '',
  description: '',
  translations: [],
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
  startsAt: '',
  endsAt: '',
  displayOrder: 0,
  visibility: 'everyone',
  visibleTo: '',
  status: 'draft',
  rulesText: STARTER_RULES,
  frequencyOn: false,
  frequencyCount: 1,
  frequencyPeriod: 'day',
  budgetOn: false,
  budgetKind: 'points',
  budgetCap: 100000,
};

export const STEPS = ['Event', 'Codes', 'Details', 'Rules', 'Limits & budget', 'Summary'] as const;

export const slug = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 64);
const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
/** A datetime-local value read as a wall-clock time of the campaign's zone. */
export const iso = (local: string, timeZone: string) =>
  local ? (DateTime.fromISO(local, { zone: timeZone }).toISO() ?? undefined) : undefined;

/** What "Per" offers: calendar periods in the campaign's zone, and rolling windows. */
export const FREQUENCY_CHOICES = [
  { value: 'day', label: 'calendar day' },
  { value: 'week', label: 'calendar week (Monday to Sunday)' },
  { value: 'month', label: 'calendar month' },
  { value: 'year', label: 'calendar year' },
  { value: 'lifetime', label: 'campaign (ever)' },
  { value: '24h', label: '24 hours (rolling)' },
  { value: '7d', label: '7 days (rolling)' },
];
const frequencyOf = (d: Draft) =>
  /^[0-9]/.test(d.frequencyPeriod)
    ? { count: d.frequencyCount, window: d.frequencyPeriod }
    : { count: d.frequencyCount, period: d.frequencyPeriod };

export function codeSpec(d: Draft): Schemas['CreateCodeBatchRequest'] {
  return {
    quantity: d.quantity,
    length: d.length,
    charset: d.charset,
    excludeLookAlikes: d.excludeLookAlikes,
    checkCharacter: d.checkCharacter,
    ...(d.prefix ? { prefix: d.prefix } : {}),
    ...(d.charset === 'custom' ? { alphabet: d.alphabet } : {}),
  };
}

/** Rules as typed; a JSON syntax error is reported like a server error on `rules`. */
export function parseRules(text: string): { rules?: unknown; error?: string } {
  try {
    return { rules: JSON.parse(text) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

export function toRequest(d: Draft): Schemas['CreateCampaignRequest'] {
  const translations = Object.fromEntries(
    d.translations
      .filter((t) => t.lang)
      .map((t) => [t.lang, { ...(t.name ? { name: t.name } : {}), ...(t.description ? { description: t.description } : {}) }]),
  );
  const { generate: _g, ...spec } = { generate: 0, ...codeSpec(d) };
  return {
    id: d.id || slug(d.name),
    name: d.name,
    ...(d.description ? { description: d.description } : {}),
    translations,
    ...(d.startsAt ? { startsAt: iso(d.startsAt, d.timeZone) } : {}),
    ...(d.endsAt ? { endsAt: iso(d.endsAt, d.timeZone) } : {}),
    timeZone: d.timeZone,
    displayOrder: d.displayOrder,
    visibility:
      d.visibility === 'everyone'
        ? { type: 'everyone' }
        : d.visibility === 'segments'
          ? { type: 'segments', segments: list(d.visibleTo) }
          : { type: 'tiers', tiers: list(d.visibleTo) },
    status: d.status,
    trigger: { event: d.eventName, codeAttribute: d.codeAttribute },
    rules: parseRules(d.rulesText).rules as never,
    ...(d.frequencyOn ? { frequency: frequencyOf(d) } : {}),
    ...(d.budgetOn ? { budget: { kind: d.budgetKind, cap: d.budgetCap } } : {}),
    // The API's default thresholds, sent explicitly: budget.threshold_reached at 80 % and 100 %.
    alerts: { budgetThresholds: [80, 100] },
    ...(d.generate ? { codes: { generate: spec } } : {}),
  } as Schemas['CreateCampaignRequest'];
}

const CODE_FIELDS = ['quantity', 'length', 'prefix', 'suffix', 'charset', 'alphabet', 'excludeLookAlikes', 'checkCharacter'];

/** The step that holds an API field, and the wizard's own name for the field. */
export function stepOfField(field: string): { step: number; name: string } {
  const f = field.replace(/^codes\.generate\./, '');
  if (field.startsWith('trigger')) return { step: 0, name: field };
  if (CODE_FIELDS.includes(f.split('.')[0])) return { step: 1, name: f.split('.')[0] };
  if (field.startsWith('rules')) return { step: 3, name: 'rules' };
  if (field.startsWith('frequency') || field.startsWith('budget')) return { step: 4, name: field.split('.')[0] };
  return { step: 2, name: field.split('.')[0] };
}
