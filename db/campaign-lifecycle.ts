import type { Queryable } from './database';
import type { CampaignAlerts, CampaignStatus, CampaignTopUp } from '../model/campaign-lifecycle';

/** Writes what the lifecycle workflow decided; returns the status it replaced (null: no such campaign). */
export async function writeLifecycle(
  db: Queryable,
  id: string,
  status: CampaignStatus,
  startsAt: Date | null,
  endsAt: Date | null,
): Promise<CampaignStatus | null> {
  const { rows } = await db.query(
    `update campaigns c set status = $2, starts_at = $3, ends_at = $4, updated_at = now(),
            ended_at = case when $2 = 'ended' then coalesce(c.ended_at, now()) else c.ended_at end
       from (select id, status from campaigns where id = $1 for update) old
      where c.id = old.id returning old.status as "previous"`,
    [id, status, startsAt, endsAt],
  );
  return (rows[0]?.previous as CampaignStatus | undefined) ?? null;
}

export async function storeFinalStats(db: Queryable, id: string, stats: object): Promise<void> {
  await db.query(`update campaigns set final_stats = $2 where id = $1 and final_stats is null`, [id, stats]);
}

export interface CampaignWatch {
  budgetKind: 'points' | 'redemptions' | null;
  budgetCap: number | null;
  budgetUsed: number;
  alerts: CampaignAlerts;
  topUp: CampaignTopUp | null;
  /** Unused codes of the campaign's pool. */
  unused: number;
}

/** What the periodic check looks at: budget use, alert settings and code stock. */
export async function readCampaignWatch(db: Queryable, id: string): Promise<CampaignWatch | null> {
  const { rows } = await db.query(
    `select budget_kind as "budgetKind", budget_cap::float8 as "budgetCap", budget_used::float8 as "budgetUsed", alerts, top_up as "topUp",
            (select coalesce(sum(d.n), 0) from code_pool_count_deltas d join code_pools p on p.id = d.pool_id
              where p.kind = 'campaign' and p.owner_id = c.id and d.status = 'unused')::float8 as unused
       from campaigns c where id = $1`,
    [id],
  );
  return (rows[0] as CampaignWatch | undefined) ?? null;
}

/** Records an alert as sent; false when it had been sent already (the caller then sends nothing). */
export async function claimAlert(db: Queryable, campaignId: string, alert: string): Promise<boolean> {
  const result = await db.query(`insert into campaign_alerts (campaign_id, alert) values ($1, $2) on conflict do nothing`, [
    campaignId,
    alert,
  ]);
  return (result.rowCount ?? 0) > 0;
}

export async function rearmAlert(db: Queryable, campaignId: string, alert: string): Promise<void> {
  await db.query(`delete from campaign_alerts where campaign_id = $1 and alert = $2`, [campaignId, alert]);
}

export async function readBudget(db: Queryable, campaignId: string): Promise<{ kind: string; cap: number; used: number } | null> {
  const { rows } = await db.query(
    `select budget_kind as kind, budget_cap::float8 as cap, budget_used::float8 as used from campaigns where id = $1`,
    [campaignId],
  );
  return rows[0]?.kind ? rows[0] : null;
}
