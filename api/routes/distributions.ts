import { pipeline } from 'node:stream/promises';
import { Router, type Response } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { allow } from '../auth';
import { ApiError } from '../errors';
import { uploadBody, uploadIdempotency } from '../idempotency';
import { parse } from '../validate';
import { errorResponses, jsonBody } from '../openapi';
import { decodeCursor, keysetPage } from '../cursor';
import { codeView, distributionView } from '../views';
import { distributionIdParam, distributionView as distributionSchema, memberCodePage, memberCodesQuery } from '../schemas/distribution';
import { memberIdParam } from '../schemas/member';
import { z } from '../../model/zod';
import {
  distributionCancelRequest,
  distributionInput,
  distributionListQuery,
  distributionPreview,
  distributionPreviewInput,
  distributionPreviewListQuery,
} from '../../model/distribution';
import { parsePoolReference, POOL_REFERENCE_HINT } from '../../model/pool';
import { findDistribution, type Distribution } from '../../db/distributions';
import { listMemberAssignedCodes } from '../../db/distribution-assignments';
import { findMember } from '../../db/members';
import { loadOrNotFound } from '../../services/load-or-not-found';
import { cancelDistribution, createDistribution, previewDistribution } from '../../services/distributions';
import { openDistributionExport } from '../../services/distribution-export';
import type { AppContext } from '../../services/context';

/** 202 with the job when it was just created; 200 when the same id had created it before. */
function answer(res: Response, result: { distribution: Distribution; created: boolean }) {
  res
    .status(result.created ? 202 : 200)
    .location(`/v1/distributions/${result.distribution.id}`)
    .json(distributionView(result.distribution));
}

const listPool = (raw: string) => {
  const pool = parsePoolReference(raw);
  if (!pool) throw new ApiError(400, 'validation_failed', `pool: ${POOL_REFERENCE_HINT}`, 'pool');
  return pool;
};

/** The member list as a CSV upload: mounted before the JSON body parser, it streams the request body itself. */
export function distributionUploadRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post(
    '/distributions/preview',
    (req, _res, next) => next(req.is('text/csv') ? undefined : 'route'), // JSON bodies: distributionRoutes
    allow('marketer', 'operator'),
    async (req, res) => {
      const { pool } = parse(distributionPreviewListQuery, req.query);
      res.json(await previewDistribution(ctx, { pool: listPool(pool), topUp: false }, { type: 'list', body: req }));
    },
  );
  router.post(
    '/distributions',
    (req, _res, next) => next(req.is('text/csv') ? undefined : 'route'), // JSON bodies: distributionRoutes
    allow('marketer', 'operator'),
    uploadIdempotency(ctx.db),
    async (req, res) => {
      const query = parse(distributionListQuery, req.query);
      const request = { id: query.id, pool: listPool(query.pool), expiresAt: query.expiresAt, topUp: query.topUp };
      answer(res, await createDistribution(ctx, request, { type: 'list', body: uploadBody(req) }, req.principal!.id));
    },
  );
  return router;
}

// A page's key is the last code shown: printable ASCII only (codes are normalized), so nothing odd reaches SQL.
const readCodeKey = (text: string) => (/^[\x21-\x7e]{1,128}$/.test(text) ? text : undefined);

export function distributionRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/distributions', allow('marketer', 'operator'), async (req, res) => {
    const { audience, ...request } = parse(distributionInput, req.body);
    answer(res, await createDistribution(ctx, request, { type: 'filter', filter: audience }, req.principal!.id));
  });

  router.post('/distributions/preview', allow('marketer', 'operator'), async (req, res) => {
    const { pool, audience } = parse(distributionPreviewInput, req.body);
    res.json(await previewDistribution(ctx, { pool, topUp: false }, { type: 'filter', filter: audience }));
  });

  const loadDistribution = (rawId: string) =>
    loadOrNotFound(distributionIdParam.safeParse({ id: rawId }).data?.id, (id) => findDistribution(ctx.db, id), {
      code: 'distribution_not_found',
      message: `no distribution with id "${rawId}"`,
      field: 'id',
    });

  router.get('/distributions/:id', allow('marketer', 'operator'), async (req, res) => {
    res.json(distributionView(await loadDistribution(String(req.params.id))));
  });

  router.get('/distributions/:id/export', allow('marketer', 'operator'), async (req, res) => {
    const distribution = await loadDistribution(String(req.params.id));
    if (distribution.status === 'cancelled') {
      throw new ApiError(409, 'distribution_cancelled', 'the distribution was cancelled: its codes went back to the pool', 'id');
    }
    const csv = await openDistributionExport(ctx.db, distribution.id);
    res.status(200).type('text/csv').set('Content-Disposition', `attachment; filename="distribution-${distribution.id}.csv"`);
    await pipeline(csv, res);
  });

  router.post('/distributions/:id/cancel', allow('marketer', 'operator'), async (req, res) => {
    parse(distributionCancelRequest, req.body ?? {});
    res.json(distributionView(await cancelDistribution(ctx, await loadDistribution(String(req.params.id)), req.principal!.id)));
  });

  router.get('/members/:id/codes', allow('marketer', 'operator', 'producer'), async (req, res) => {
    const { limit, cursor } = parse(memberCodesQuery, req.query);
    const after = decodeCursor(cursor, readCodeKey) ?? '';
    const member = await loadOrNotFound(memberIdParam.safeParse({ id: String(req.params.id) }).data?.id, (id) => findMember(ctx.db, id), {
      code: 'member_not_found',
      message: `no member with id "${req.params.id}"`,
      field: 'id',
    });
    const rows = await listMemberAssignedCodes(ctx.db, member.id, after, limit + 1);
    const { items, nextCursor } = keysetPage(rows, limit, (c) => c.code);
    res.json({ codes: items.map(codeView), nextCursor });
  });

  return router;
}

/** An audience as a JSON filter, or as a `text/csv` member list with the options in the query string. */
const audienceRequest = (query: z.AnyZodObject, json: z.ZodTypeAny) => ({
  query,
  body: {
    required: true,
    content: {
      'application/json': { schema: json },
      'text/csv': { schema: z.string().openapi({ example: 'member_id\nmember-1\nmember-2\n' }) },
    },
  },
});

export function describeDistributionRoutes(registry: OpenAPIRegistry): void {
  const job = (description: string) => ({ description, content: { 'application/json': { schema: distributionSchema } } });
  registry.registerPath({
    method: 'post',
    path: '/v1/distributions',
    summary: 'Give each member of an audience one unique code of a pool (a Temporal workflow); answers 202 with the job',
    description:
      'The audience is a filter over members (JSON body) or a member list (`text/csv` body with a `member_id` column; the options ' +
      'then go in the query string). Refused with 422 `not_enough_codes` when the pool has fewer unused codes than members, ' +
      'unless `topUp` generates the shortfall first. The same `id` twice is one distribution (200 the second time).',
    tags: ['Distributions'],
    request: audienceRequest(distributionListQuery.partial(), distributionInput),
    responses: {
      202: job('The distribution was accepted and its workflow started'),
      200: job('A distribution with this id existed already'),
      ...errorResponses(400, 401, 403, 409, 413, 415, 422, 503),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/distributions/preview',
    summary: 'What a distribution would find, without starting one: members in the audience, unused codes, the shortfall',
    description:
      'The same audience as `POST /v1/distributions` (a filter as JSON, or a `text/csv` member list with `?pool=`), counted exactly as ' +
      'a create would count it, and whether `topUp` could cover a shortfall. Nothing is kept.',
    tags: ['Distributions'],
    request: audienceRequest(distributionPreviewListQuery.partial(), distributionPreviewInput),
    responses: {
      200: { description: 'The counts', content: { 'application/json': { schema: distributionPreview } } },
      ...errorResponses(400, 401, 403, 404, 413, 415),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/distributions/{id}',
    summary: 'Status and progress (assigned / members) of a distribution',
    tags: ['Distributions'],
    request: { params: distributionIdParam },
    responses: { 200: job('The distribution'), ...errorResponses(401, 403, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/distributions/{id}/export',
    summary: 'The `member_id,code` CSV of a distribution, streamed (for the e-mail tool)',
    tags: ['Distributions'],
    request: { params: distributionIdParam },
    responses: {
      200: { description: 'CSV with a header row', content: { 'text/csv': { schema: { type: 'string' } } } },
      ...errorResponses(401, 403, 404, 409),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/distributions/{id}/cancel',
    summary: 'Cancel a distribution: it stops, and its codes not yet redeemed return to the pool',
    tags: ['Distributions'],
    request: { params: distributionIdParam, body: { ...jsonBody(distributionCancelRequest), required: false } },
    responses: { 200: job('The cancelled distribution (`returned`: codes given back)'), ...errorResponses(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/members/{id}/codes',
    summary: 'The codes assigned to a member by distributions and not yet redeemed (cursor pagination, in code order)',
    tags: ['Members'],
    request: { params: memberIdParam, query: memberCodesQuery },
    responses: {
      200: { description: 'A page of codes', content: { 'application/json': { schema: memberCodePage } } },
      ...errorResponses(400, 401, 403, 404),
    },
  });
}
