import type { Queryable } from '../db/database';
import type { Campaign } from '../db/campaigns';
import { findRuleVersion, insertRuleVersion, type CampaignRuleVersion } from '../db/campaign-rule-versions';
import { jsonDiff, toJson } from '../domain/json-diff';
import type { CampaignRuleInput } from '../model/rule';
import { loadOrNotFound } from './load-or-not-found';

/**
 * The rule set's version a saved change leaves the campaign at, in the change's transaction: the same one when its
 * rules did not change, else the next number, saved with the rules. A restore always saves a new version (the
 * history then reads "version 4 restored version 2"), even when the rules in force are equal to the old ones.
 */
export async function ruleVersionAfter(
  client: Queryable,
  before: Pick<Campaign, 'id' | 'rules' | 'rulesVersion'>,
  rules: CampaignRuleInput[],
  actor: string,
  restoredFrom: number | null,
): Promise<number> {
  if (restoredFrom === null && jsonDiff(toJson(before.rules), toJson(rules)).length === 0) return before.rulesVersion;
  const version = before.rulesVersion + 1;
  await insertRuleVersion(client, { campaignId: before.id, version, rules, restoredFrom, createdBy: actor });
  return version;
}

/** One saved rule set of a campaign, or 404 rule_version_not_found. */
export const loadRuleVersion = (db: Queryable, campaignId: string, version: number): Promise<CampaignRuleVersion> =>
  loadOrNotFound(version, (v) => findRuleVersion(db, campaignId, v), {
    code: 'rule_version_not_found',
    message: `campaign "${campaignId}" has no rule version ${version}`,
    field: 'version',
  });
