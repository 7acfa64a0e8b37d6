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
  /**
   * Decided in PostgreSQL: by the create or PATCH that asks for it (services/campaigns.ts), and at startsAt /
   * endsAt by the lifecycle workflow's guarded write (db/campaign-lifecycle.ts).
   */
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
  /** Moves with every change but budget use: the ETag, and the guard of timer writes and of apply_redemption. */
  version: number;
  /** The saved rule set in force (campaign_rule_versions): moves only when the rules change, or a restore. */
  rulesVersion: number;
}

export type CampaignData = Omit<Campaign, 'budgetUsed' | 'finalStats' | 'version' | 'rulesVersion'>;

const COLUMNS = `id, name, description, translations, starts_at as "startsAt", ends_at as "endsAt", display_order as "displayOrder",
  visibility, status, trigger_event as "triggerEvent", trigger_attribute as "triggerAttribute", rules, frequency,
  budget_kind as "budgetKind", budget_cap::float8 as "budgetCap", budget_used::float8 as "budgetUsed", alerts, top_up as "topUp",
  final_stats as "finalStats", version::int as version, time_zone as "timeZone", rules_version as "rulesVersion"`;

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

/** Returns null when a campaign with that id exists already. `createToken` identifies the create (see the migration). */
export async function insertCampaign(db: Queryable, c: CampaignData, createToken: string | null): Promise<Campaign | null> {
  const { rows } = await db.query(
    `insert into campaigns (id, name, description, translations, starts_at, ends_at, display_order, visibility, status,
       trigger_event, trigger_attribute, rules, frequency, budget_kind, budget_cap, alerts, top_up, time_zone, create_token,
       ended_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
       case when $9 = 'ended' then now() end) on conflict (id) do nothing returning ${COLUMNS}`,
    [...values(c), createToken],
  );
  return (rows[0] as Campaign | undefined) ?? null;
}

/** The token of the create that made the campaign (null: none given, or no such campaign). */
export async function campaignCreateToken(db: Queryable, id: string): Promise<string | null> {
  const { rows } = await db.query(`select create_token as t from campaigns where id = $1`, [id]);
  return (rows[0]?.t as string | undefined) ?? null;
}

/**
 * Writes every field, the status included, and moves the version; call it with the row locked (findCampaign
 * forUpdate). `rulesVersion`: the rule set's version the row now holds (services/campaign-rules.ts saves it).
 */
export async function replaceCampaign(db: Queryable, c: CampaignData, rulesVersion: number): Promise<Campaign> {
  const { rows } = await db.query(
    `update campaigns set name = $2, description = $3, translations = $4, starts_at = $5, ends_at = $6, display_order = $7,
       visibility = $8, status = $9, trigger_event = $10, trigger_attribute = $11, rules = $12, frequency = $13,
       budget_kind = $14, budget_cap = $15, alerts = $16, top_up = $17, time_zone = $18, updated_at = now(), version = version + 1,
       ended_at = case when $9 = 'ended' then coalesce(ended_at, now()) else ended_at end, rules_version = $19
     where id = $1 returning ${COLUMNS}`,
    [...values(c), rulesVersion],
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
