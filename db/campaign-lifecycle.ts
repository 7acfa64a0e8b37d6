import type { Queryable } from './database';
import type { CampaignAlerts, CampaignLifecycleRow, CampaignStatus, CampaignTopUp } from '../model/campaign-lifecycle';

const ROW = `status, round(extract(epoch from starts_at) * 1000)::float8 as "startsAt", round(extract(epoch from ends_at) * 1000)::float8 as "endsAt",
  version::int as version`;

/** The status, dates and version of a campaign (null: no such campaign); `forUpdate` locks the row. */
export async function readLifecycleRow(db: Queryable, id: string, forUpdate = false): Promise<CampaignLifecycleRow | null> {
  const { rows } = await db.query(`select ${ROW} from campaigns where id = $1 ${forUpdate ? 'for update' : ''}`, [id]);
  return (rows[0] as CampaignLifecycleRow | undefined) ?? null;
}

/** Writes a status a timer decided, moving the version; call it with the row locked at the version it decided from. */
export async function writeTimedStatus(db: Queryable, id: string, status: CampaignStatus): Promise<CampaignLifecycleRow> {
  const { rows } = await db.query(
    `update campaigns set status = $2, updated_at = now(), version = version + 1,
            ended_at = case when $2 = 'ended' then coalesce(ended_at, now()) else ended_at end
      where id = $1 returning ${ROW}`,
    [id, status],
  );
  return rows[0] as CampaignLifecycleRow;
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
