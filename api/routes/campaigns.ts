import { DateTime } from 'luxon';
import { Router } from 'express';
import { BUDGET_KINDS } from '../../model/budget';
import { loadOrNotFound } from '../../services/load-or-not-found';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { allow } from '../auth';
import { parse } from '../validate';
import { errorResponses, jsonBody } from '../openapi';
import { z } from '../../model/zod';
import { DomainError } from '../../model/errors';
import { campaignIdParam, campaignView, lifecycleView } from '../schemas/campaign';
import { campaignPatch, newCampaign } from '../../model/campaign';
import { findCampaign, listCampaigns, type Campaign } from '../../db/campaigns';
import { campaignStats } from '../../db/campaign-stats';
import { campaignTimeseries } from '../../db/campaign-timeseries';
import { createCampaign, toFields, updateCampaign } from '../../services/campaigns';
import { readLifecycle } from '../../services/campaign-lifecycle';
import type { AppContext } from '../../services/context';
import { etagOfVersion, expectedVersion } from '../if-match';

/** A campaign as the API answers it. */
export const campaignAnswer = (c: Campaign, extra: object = {}) => ({
  id: c.id,
  ...toFields(c),
  status: c.status,
  version: c.version,
  rulesVersion: c.rulesVersion,
  finalStats: c.finalStats,
  ...extra,
});
const view = campaignAnswer;
export const etagOf = (c: Campaign) => etagOfVersion(c.version);

/** The campaign a path names, or 404 campaign_not_found (an id no campaign could have is not looked up). */
export const loadCampaign = (ctx: AppContext, rawId: string) =>
  loadOrNotFound(campaignIdParam.safeParse({ id: rawId }).data?.id, (id) => findCampaign(ctx.db, id), {
    code: 'campaign_not_found',
    message: `no campaign "${rawId}"`,
    field: 'id',
  });

export function campaignRoutes(ctx: AppContext): Router {
  const router = Router();
  const load = (rawId: string) => loadCampaign(ctx, rawId);

  router.post('/campaigns', allow('marketer'), async (req, res) => {
    const { campaign, codeBatchId } = await createCampaign(ctx, parse(newCampaign, req.body), {
      principal: req.principal!.id,
      idempotencyKey: req.header('idempotency-key'),
    });
    res.status(201).location(`/v1/campaigns/${campaign.id}`).setHeader('ETag', etagOf(campaign));
    res.json(view(campaign, { codeBatchId }));
  });
  router.get('/campaigns', allow('marketer', 'operator'), async (_req, res) => {
    res.json({ campaigns: (await listCampaigns(ctx.db)).map((c) => view(c)) });
  });
  router.get('/campaigns/:id', allow('marketer', 'operator'), async (req, res) => {
    const campaign = await load(String(req.params.id));
    res.setHeader('ETag', etagOf(campaign)).json(view(campaign));
  });
  router.patch('/campaigns/:id', allow('marketer'), async (req, res) => {
    const changes = parse(campaignPatch, req.body);
    const id = (await load(String(req.params.id))).id;
    const updated = await updateCampaign(ctx, id, changes, expectedVersion(req.header('if-match')), { actor: req.principal!.id });
    res.setHeader('ETag', etagOf(updated)).json(view(updated));
  });
  router.get('/campaigns/:id/lifecycle', allow('marketer', 'operator'), async (req, res) => {
    const campaign = await load(String(req.params.id));
    const lifecycle = await readLifecycle(ctx, campaign.id);
    if (!lifecycle) throw new DomainError('not_found', 'lifecycle_not_found', `campaign "${campaign.id}" has no lifecycle workflow`, 'id');
    res.json(lifecycle);
  });
  router.get('/campaigns/:id/stats', allow('marketer', 'operator'), async (req, res) => {
    const campaign = await load(String(req.params.id));
    const stats = await campaignStats(ctx.db, campaign.id);
    const budget = campaign.budgetKind
      ? { kind: campaign.budgetKind, cap: campaign.budgetCap, used: campaign.budgetUsed, left: campaign.budgetCap! - campaign.budgetUsed }
      : null;
    res.json({ campaignId: campaign.id, ...stats, budget });
  });
  router.get('/campaigns/:id/stats/timeseries', allow('marketer', 'operator'), async (req, res) => {
    const campaign = await load(String(req.params.id));
    const { bucket, from, to } = parse(timeseriesQuery, req.query);
    const end = to ? new Date(to) : new Date();
    const start = from ? new Date(from) : new Date(end.getTime() - (bucket === 'hour' ? 48 * 3600_000 : 30 * 86400_000));
    if (end <= start) throw new DomainError('invalid', 'validation_failed', 'to must be after from', 'to');
    if ((end.getTime() - start.getTime()) / (bucket === 'hour' ? 3600_000 : 86400_000) > 2000) {
      throw new DomainError('invalid', 'validation_failed', 'at most 2,000 buckets: narrow from/to or use a bigger bucket', 'from');
    }
    const points = await campaignTimeseries(ctx.db, campaign.id, bucket, start, end, campaign.timeZone);
    const local = (at: Date) => DateTime.fromJSDate(at, { zone: campaign.timeZone }).toISO({ suppressMilliseconds: true })!;
    res.json({
      campaignId: campaign.id,
      bucket,
      timeZone: campaign.timeZone,
      from: start.toISOString(),
      to: end.toISOString(),
      points: points.map((p) => ({ ...p, at: local(p.at) })),
    });
  });
  return router;
}

export const ifMatchHeader = z.object({
  'if-match': z.string().optional().openapi({
    description: 'The ETag of GET /v1/campaigns/{id} (its version in quotes): 412 precondition_failed if the campaign changed since',
  }),
});

const timeseriesQuery = z
  .object({
    bucket: z.enum(['hour', 'day']).default('hour'),
    from: z
      .string()
      .datetime({ offset: true })
      .optional()
      .openapi({ description: 'Default: 48 hours (hour) or 30 days (day) before `to`' }),
    to: z.string().datetime({ offset: true }).optional().openapi({ description: 'Default: now' }),
  })
  .strict();

const timeseriesView = z
  .object({
    campaignId: z.string(),
    bucket: z.enum(['hour', 'day']),
    timeZone: z.string().openapi({ description: "The campaign's time zone, which the buckets follow" }),
    from: z.string(),
    to: z.string(),
    points: z
      .array(
        z.object({
          at: z.string().openapi({
            description: "Start of the bucket, with the offset of the campaign's time zone (e.g. 2026-03-29T00:00:00+01:00)",
          }),
          redeemed: z.number(),
          points: z.number(),
          rejected: z.record(z.number()).openapi({ description: 'Rejected events by reason' }),
        }),
      )
      .openapi({ description: 'Only buckets with events' }),
  })
  .openapi('CampaignTimeseries');

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
  const paths: Array<
    [
      method: 'get' | 'post' | 'patch',
      path: string,
      summary: string,
      request: object,
      status: number,
      schema: z.ZodTypeAny,
      errors: number[],
    ]
  > = [
    [
      'post',
      '/v1/campaigns',
      'Create a campaign (rules are checked now, not at redemption time); optionally generate its codes',
      { body: jsonBody(newCampaign) },
      201,
      campaignView,
      [400, 401, 403, 409],
    ],
    ['get', '/v1/campaigns', 'List campaigns in display order', {}, 200, z.object({ campaigns: z.array(campaignView) }), [401, 403]],
    ['get', '/v1/campaigns/{id}', 'One campaign', { params: campaignIdParam }, 200, campaignView, [401, 403, 404]],
    [
      'patch',
      '/v1/campaigns/{id}',
      'Change a campaign (the merged campaign is validated as a whole; send If-Match with its ETag to refuse a change made from a stale read)',
      { params: campaignIdParam, headers: ifMatchHeader, body: jsonBody(campaignPatch) },
      200,
      campaignView,
      [400, 401, 403, 404, 409, 412],
    ],
    [
      'get',
      '/v1/campaigns/{id}/lifecycle',
      "The campaign's lifecycle workflow: decided status, dates and next timer (404 lifecycle_not_found without one)",
      { params: campaignIdParam },
      200,
      lifecycleView,
      [401, 403, 404],
    ],
    [
      'get',
      '/v1/campaigns/{id}/stats',
      'Codes, redemptions, points, budget and rejections by reason',
      { params: campaignIdParam },
      200,
      statsView,
      [401, 403, 404],
    ],
    [
      'get',
      '/v1/campaigns/{id}/stats/timeseries',
      'Redemptions, points and rejections by reason per hour or day',
      { params: campaignIdParam, query: timeseriesQuery },
      200,
      timeseriesView,
      [400, 401, 403, 404],
    ],
  ];
  for (const [method, path, summary, request, status, schema, errors] of paths) {
    registry.registerPath({
      method,
      path,
      summary,
      tags: ['Campaigns'],
      request,
      responses: { [status]: ok(summary, schema), ...errorResponses(...errors) },
    });
  }
}
