import type { Queryable } from './database';
import type { CampaignRuleInput } from '../model/rule';
import type { CampaignAlerts, CampaignStatus, CampaignTopUp } from '../model/campaign-lifecycle';
import type { Frequency } from '../model/frequency';

export type Visibility = { type: 'everyone' } | { type: 'segments'; segments: string[] } | { type: 'tiers'; tiers: string[] };

export interface Campaign {
  id: string;
  name: string;
  description: string | null;
  translations: Record<string, { name?: string; description?: string }>;
  startsAt: Date | null;
  endsAt: Date | null;
  displayOrder: number;
  visibility: Visibility;
  /** Written only by the campaign's lifecycle workflow (db/campaign-lifecycle.ts); a new row is a draft. */
  status: CampaignStatus;
  triggerEvent: string;
  triggerAttribute: string;
  rules: CampaignRuleInput[];
  /** IANA name: where frequency periods and stats buckets turn. */
  timeZone: string;
  frequency: Frequency | null;
  budgetKind: 'points' | 'redemptions' | null;
  budgetCap: number | null;
  budgetUsed: number;
  alerts: CampaignAlerts;
  topUp: CampaignTopUp | null;
  finalStats: Record<string, unknown> | null;
}

export type CampaignData = Omit<Campaign, 'budgetUsed' | 'finalStats'>;

const COLUMNS = `id, name, description, translations, starts_at as "startsAt", ends_at as "endsAt", display_order as "displayOrder",
  visibility, status, trigger_event as "triggerEvent", trigger_attribute as "triggerAttribute", rules, frequency,
  budget_kind as "budgetKind", budget_cap::float8 as "budgetCap", budget_used::float8 as "budgetUsed", alerts, top_up as "topUp",
  final_stats as "finalStats", time_zone as "timeZone"`;

function values(c: CampaignData) {
  return [
    c.id,
    c.name,
    c.description,
    c.translations,
    c.startsAt,
    c.endsAt,
    c.displayOrder,
    JSON.stringify(c.visibility),
    c.status,
    c.triggerEvent,
    c.triggerAttribute,
    JSON.stringify(c.rules),
    c.frequency && JSON.stringify(c.frequency),
    c.budgetKind,
    c.budgetCap,
    JSON.stringify(c.alerts),
    c.topUp && JSON.stringify(c.topUp),
    c.timeZone,
  ];
}

/** Returns null when a campaign with that id exists already. */
export async function insertCampaign(db: Queryable, c: CampaignData): Promise<Campaign | null> {
  const { rows } = await db.query(
    `insert into campaigns (id, name, description, translations, starts_at, ends_at, display_order, visibility, status,
       trigger_event, trigger_attribute, rules, frequency, budget_kind, budget_cap, alerts, top_up, time_zone)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) on conflict (id) do nothing returning ${COLUMNS}`,
    values(c),
  );
  return (rows[0] as Campaign | undefined) ?? null;
}

export async function replaceCampaign(db: Queryable, c: CampaignData): Promise<Campaign> {
  const { rows } = await db.query(
    `update campaigns set name = $2, description = $3, translations = $4, starts_at = $5, ends_at = $6, display_order = $7,
       visibility = $8, trigger_event = $9, trigger_attribute = $10, rules = $11, frequency = $12,
       budget_kind = $13, budget_cap = $14, alerts = $15, top_up = $16, time_zone = $17, updated_at = now()
     where id = $1 returning ${COLUMNS}`,
    // Everything but the status: only the campaign's workflow writes that.
    values(c).filter((_v, i) => i !== 8),
  );
  return rows[0] as Campaign;
}

export async function findCampaign(db: Queryable, id: string, forUpdate = false): Promise<Campaign | null> {
  const { rows } = await db.query(`select ${COLUMNS} from campaigns where id = $1 ${forUpdate ? 'for update' : ''}`, [id]);
  return (rows[0] as Campaign | undefined) ?? null;
}

export async function listCampaigns(db: Queryable): Promise<Campaign[]> {
  const { rows } = await db.query(`select ${COLUMNS} from campaigns order by display_order, id`);
  return rows as Campaign[];
}

/** Code attributes of the campaigns an event name triggers (usually one). */
export async function triggerAttributesFor(db: Queryable, eventName: string): Promise<string[]> {
  const { rows } = await db.query(`select distinct trigger_attribute as a from campaigns where trigger_event = $1`, [eventName]);
  return rows.map((r: { a: string }) => r.a);
}

/**
 * Takes `amount` from the campaign's budget if it fits, in the caller's transaction (the row stays locked until
 * commit, so concurrent redemptions queue here and the cap can't be overshot by a single unit).
 */
export async function consumeBudget(db: Queryable, campaignId: string, amount: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `update campaigns set budget_used = budget_used + $2 where id = $1 and (budget_cap is null or budget_used + $2 <= budget_cap)`,
    [campaignId, amount],
  );
  return rowCount === 1;
}

/** Gives back what `consumeBudget` took (a rollback). */
export async function releaseBudget(db: Queryable, campaignId: string, amount: number): Promise<void> {
  await db.query(`update campaigns set budget_used = budget_used - $2 where id = $1`, [campaignId, amount]);
}

/** Whether PostgreSQL's own zone database has the name (luxon's and PostgreSQL's may differ for the newest zones). */
export async function isKnownTimeZone(db: Queryable, name: string): Promise<boolean> {
  const { rowCount } = await db.query(`select 1 from pg_timezone_names where name = $1`, [name]);
  return rowCount === 1;
}
