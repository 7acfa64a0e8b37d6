import { Router } from 'express';
import { BUDGET_KINDS } from '../../model/budget';
import { loadOrNotFound } from '../../services/load-or-not-found';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { allow } from '../auth';
import { parse } from '../validate';
import { errorResponses, jsonBody } from '../openapi';
import { z } from '../../model/zod';
import { campaignIdParam, campaignView } from '../schemas/campaign';
import { campaignPatch, newCampaign } from '../../model/campaign';
import { findCampaign, listCampaigns, type Campaign } from '../../db/campaigns';
import { campaignStats } from '../../db/campaign-stats';
import { createCampaign, toFields, updateCampaign } from '../../services/campaigns';
import type { AppContext } from '../../services/context';

const view = (c: Campaign, extra: object = {}) => ({ id: c.id, ...toFields(c), status: c.status, finalStats: c.finalStats, ...extra });

export function campaignRoutes(ctx: AppContext): Router {
  const router = Router();
  const load = (rawId: string) =>
    loadOrNotFound(campaignIdParam.safeParse({ id: rawId }).data?.id, (id) => findCampaign(ctx.db, id), {
      code: 'campaign_not_found', message: `no campaign "${rawId}"`, field: 'id',
    });

  router.post('/campaigns', allow('marketer'), async (req, res) => {
    const { campaign, codeBatchId } = await createCampaign(ctx, parse(newCampaign, req.body), req.principal!.id);
    res.status(201).location(`/v1/campaigns/${campaign.id}`).json(view(campaign, { codeBatchId }));
  });
  router.get('/campaigns', allow('marketer', 'operator'), async (_req, res) => {
    res.json({ campaigns: (await listCampaigns(ctx.db)).map((c) => view(c)) });
  });
  router.get('/campaigns/:id', allow('marketer', 'operator'), async (req, res) => {
    res.json(view(await load(String(req.params.id))));
  });
  router.patch('/campaigns/:id', allow('marketer'), async (req, res) => {
    const changes = parse(campaignPatch, req.body);
    res.json(view(await updateCampaign(ctx, (await load(String(req.params.id))).id, changes)));
  });
  router.get('/campaigns/:id/stats', allow('marketer', 'operator'), async (req, res) => {
    const campaign = await load(String(req.params.id));
    const stats = await campaignStats(ctx.db, campaign.id);
    const budget = campaign.budgetKind
      ? { kind: campaign.budgetKind, cap: campaign.budgetCap, used: campaign.budgetUsed, left: campaign.budgetCap! - campaign.budgetUsed }
      : null;
    res.json({ campaignId: campaign.id, ...stats, budget });
  });
  return router;
}

const statsView = z
  .object({
    campaignId: z.string(),
    codes: z.object({ total: z.number(), unused: z.number(), redeemed: z.number(), cancelled: z.number(), other: z.number() }),
    redemptions: z.number(),
    pointsIssued: z.number(),
    rejections: z.record(z.number()).openapi({ description: 'Rejected events by reason' }),
    budget: z.object({ kind: z.enum(BUDGET_KINDS), cap: z.number(), used: z.number(), left: z.number() }).nullable(),
  })
  .openapi('CampaignStats');

export function describeCampaignRoutes(registry: OpenAPIRegistry): void {
  const ok = (description: string, schema: z.ZodTypeAny) => ({ description, content: { 'application/json': { schema } } });
  const paths: Array<[method: 'get' | 'post' | 'patch', path: string, summary: string, request: object, status: number, schema: z.ZodTypeAny, errors: number[]]> = [
    ['post', '/v1/campaigns', 'Create a campaign (rules are checked now, not at redemption time); optionally generate its codes', { body: jsonBody(newCampaign) }, 201, campaignView, [400, 401, 403, 409]],
    ['get', '/v1/campaigns', 'List campaigns in display order', {}, 200, z.object({ campaigns: z.array(campaignView) }), [401, 403]],
    ['get', '/v1/campaigns/{id}', 'One campaign', { params: campaignIdParam }, 200, campaignView, [401, 403, 404]],
    ['patch', '/v1/campaigns/{id}', 'Change a campaign (the merged campaign is validated as a whole)', { params: campaignIdParam, body: jsonBody(campaignPatch) }, 200, campaignView, [400, 401, 403, 404, 409]],
    ['get', '/v1/campaigns/{id}/stats', 'Codes, redemptions, points, budget and rejections by reason', { params: campaignIdParam }, 200, statsView, [401, 403, 404]],
  ];
  for (const [method, path, summary, request, status, schema, errors] of paths) {
    registry.registerPath({ method, path, summary, tags: ['Campaigns'], request, responses: { [status]: ok(summary, schema), ...errorResponses(...errors) } });
  }
}
