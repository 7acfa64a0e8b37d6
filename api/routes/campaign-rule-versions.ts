import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { allow } from '../auth';
import { parse } from '../validate';
import { errorResponses } from '../openapi';
import { z } from '../../model/zod';
import { campaignRule } from '../../model/rule';
import { RULE_VERSION_MAX } from '../../model/campaign';
import { auditChange } from '../../model/audit';
import { jsonDiff, toJson } from '../../domain/json-diff';
import { campaignIdParam, campaignView } from '../schemas/campaign';
import { listRuleVersions, type CampaignRuleVersion } from '../../db/campaign-rule-versions';
import { loadRuleVersion } from '../../services/campaign-rules';
import { restoreRuleVersion } from '../../services/campaigns';
import type { AppContext } from '../../services/context';
import { expectedVersion } from '../if-match';
import { campaignAnswer, etagOf, ifMatchHeader, loadCampaign } from './campaigns';

const versionParams = z.object({
  id: campaignIdParam.shape.id,
  version: z.coerce.number().int().min(1).max(RULE_VERSION_MAX).openapi({ description: 'A rule version number (1 is the first)' }),
});

const ruleVersionView = z
  .object({
    campaignId: z.string(),
    version: z.number().int(),
    rules: z.array(campaignRule),
    restoredFrom: z.number().int().nullable().openapi({ description: 'The version whose rules this one restored; null: an edit' }),
    createdBy: z.string().nullable().openapi({ description: 'The principal that saved it (role:<12 hex>)' }),
    createdAt: z.string(),
  })
  .openapi('CampaignRuleVersion');
const compareQuery = z
  .object({
    against: z.coerce
      .number()
      .int()
      .min(1)
      .max(1_000_000_000)
      .optional()
      .openapi({ description: 'Another version of the same campaign: the answer then holds `diff`, from that version to this one' }),
  })
  .strict();
const ruleVersionComparison = ruleVersionView
  .extend({
    diff: z
      .array(auditChange)
      .optional()
      .openapi({ description: 'With `against`: the changes from that version to this one, value by value (as the history shows them)' }),
  })
  .openapi('CampaignRuleVersionComparison');

const ruleVersionList = z
  .object({
    campaignId: z.string(),
    current: z.number().int(),
    versions: z.array(ruleVersionView).openapi({ description: 'Newest first' }),
  })
  .openapi('CampaignRuleVersions');

const versionAnswer = (v: CampaignRuleVersion) => ({ ...v, createdAt: v.createdAt.toISOString() });

/** A campaign's saved rule sets: list, read, and restore one (a new version with its rules). */
export function campaignRuleVersionRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/campaigns/:id/rule-versions', allow('marketer', 'operator'), async (req, res) => {
    const campaign = await loadCampaign(ctx, String(req.params.id));
    const versions = await listRuleVersions(ctx.db, campaign.id);
    res.json({ campaignId: campaign.id, current: campaign.rulesVersion, versions: versions.map(versionAnswer) });
  });
  router.get('/campaigns/:id/rule-versions/:version', allow('marketer', 'operator'), async (req, res) => {
    const campaign = await loadCampaign(ctx, String(req.params.id));
    const { version } = parse(versionParams, req.params);
    const { against } = parse(compareQuery, req.query);
    const saved = await loadRuleVersion(ctx.db, campaign.id, version);
    const other = against === undefined ? undefined : await loadRuleVersion(ctx.db, campaign.id, against);
    res.json({
      ...versionAnswer(saved),
      ...(other ? { diff: jsonDiff(toJson({ rules: other.rules }), toJson({ rules: saved.rules })) } : {}),
    });
  });
  router.post('/campaigns/:id/rule-versions/:version/restore', allow('marketer'), async (req, res) => {
    const campaign = await loadCampaign(ctx, String(req.params.id));
    const { version } = parse(versionParams, req.params);
    const updated = await restoreRuleVersion(ctx, campaign.id, version, expectedVersion(req.header('if-match')), req.principal!.id);
    res.setHeader('ETag', etagOf(updated)).json(campaignAnswer(updated));
  });
  return router;
}

export function describeCampaignRuleVersionRoutes(registry: OpenAPIRegistry): void {
  const json = (description: string, schema: z.ZodTypeAny) => ({ description, content: { 'application/json': { schema } } });
  registry.registerPath({
    method: 'get',
    path: '/v1/campaigns/{id}/rule-versions',
    tags: ['Campaigns'],
    summary: "The campaign's saved rule sets, newest first, and the one in force",
    request: { params: campaignIdParam },
    responses: { 200: json('Its rule versions', ruleVersionList), ...errorResponses(401, 403, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/campaigns/{id}/rule-versions/{version}',
    tags: ['Campaigns'],
    summary: 'One saved rule set; with `against`, compared with another version',
    request: { params: versionParams, query: compareQuery },
    responses: { 200: json('The rule version', ruleVersionComparison), ...errorResponses(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/campaigns/{id}/rule-versions/{version}/restore',
    tags: ['Campaigns'],
    summary: 'Put an old rule set back in force, as a new version (recorded in the history like any change)',
    description:
      'Checked like a PATCH of the rules: the old rules must still be valid (e.g. its rewards must exist). Send If-Match to refuse a restore made from a stale read.',
    request: { params: versionParams, headers: ifMatchHeader },
    responses: { 200: json('The campaign with the restored rules', campaignView), ...errorResponses(400, 401, 403, 404, 409, 412) },
  });
}
