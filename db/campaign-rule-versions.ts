import type { Queryable } from './database';
import type { CampaignRuleInput } from '../model/rule';

export interface CampaignRuleVersion {
  campaignId: string;
  version: number;
  rules: CampaignRuleInput[];
  /** The version whose rules this one restored; null: an edit (or the campaign's first). */
  restoredFrom: number | null;
  createdBy: string | null;
  createdAt: Date;
}

const COLUMNS = `campaign_id as "campaignId", version, rules, restored_from as "restoredFrom", created_by as "createdBy",
  created_at as "createdAt"`;

/** Saves a rule set as the campaign's version `version`, in the caller's transaction (the campaign row locked). */
export async function insertRuleVersion(
  db: Queryable,
  v: Pick<CampaignRuleVersion, 'campaignId' | 'version' | 'rules' | 'restoredFrom' | 'createdBy'>,
): Promise<void> {
  await db.query(
    `insert into campaign_rule_versions (campaign_id, version, rules, restored_from, created_by) values ($1, $2, $3, $4, $5)`,
    [v.campaignId, v.version, JSON.stringify(v.rules), v.restoredFrom, v.createdBy],
  );
}

/** Every saved rule set of a campaign, newest first (a campaign keeps few: one per rule edit). */
export async function listRuleVersions(db: Queryable, campaignId: string): Promise<CampaignRuleVersion[]> {
  const { rows } = await db.query(`select ${COLUMNS} from campaign_rule_versions where campaign_id = $1 order by version desc`, [
    campaignId,
  ]);
  return rows as CampaignRuleVersion[];
}

export async function findRuleVersion(db: Queryable, campaignId: string, version: number): Promise<CampaignRuleVersion | null> {
  const { rows } = await db.query(`select ${COLUMNS} from campaign_rule_versions where campaign_id = $1 and version = $2`, [
    campaignId,
    version,
  ]);
  return (rows[0] as CampaignRuleVersion | undefined) ?? null;
}
