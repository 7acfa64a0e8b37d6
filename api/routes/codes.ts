import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { allow } from '../auth';
import { ApiError } from '../errors';
import { parse } from '../validate';
import { cancelRequest, codeDetailView, codePage, codeParam, codeView as codeSchema } from '../schemas/code';
import { codeSearchQuery } from '../schemas/code-search';
import { codeFilters, type CodeFilters } from '../../model/code-filters';
import { errorResponses, jsonBody } from '../openapi';
import { decodeCursor, keysetPage } from '../cursor';
import { codeView } from '../views';
import { searchCodes, type ResolvedFilters } from '../../db/code-search';
import { canonicalForm } from '../../domain/normalize-code';
import { cancelCode, codeWithHistory } from '../../services/codes';
import { openCodeExport } from '../../services/code-export';
import type { AppContext } from '../../services/context';

/** Filters as typed → filters as stored (the prefix takes the canonical form of a code). */
function resolveFilters(filters: CodeFilters): ResolvedFilters {
  if (filters.prefix === undefined) return filters;
  const prefixCode = canonicalForm(filters.prefix);
  if (!/^[A-Z0-9]{1,64}$/.test(prefixCode)) throw new ApiError(400, 'validation_failed', 'prefix: letters and digits only', 'prefix');
  return { ...filters, prefixCode };
}

// A code search page's key is the last code shown, in its stored form.
const readCodeKey = (text: string) => (/^[A-Z0-9]{1,64}$/.test(text) ? text : undefined);

export function codeRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/codes', allow('marketer', 'operator'), async (req, res) => {
    const { limit, cursor, ...filters } = parse(codeSearchQuery, req.query);
    const rows = await searchCodes(ctx.db, resolveFilters(filters), decodeCursor(cursor, readCodeKey), limit + 1);
    const { items, nextCursor } = keysetPage(rows, limit, (c) => c.code);
    res.json({ codes: items.map(codeView), nextCursor });
  });

  router.get('/codes/export', allow('marketer', 'operator'), async (req, res) => {
    const csv = await openCodeExport(ctx.db, resolveFilters(parse(codeFilters, req.query)));
    res.status(200).type('text/csv').set('Content-Disposition', 'attachment; filename="codes.csv"');
    // Headers are gone once streaming started: on a failure the error handler can only end the response.
    await pipeline(csv, res);
  });

  router.get('/codes/:code', allow('marketer', 'operator'), async (req, res) => {
    const { record, origin, history } = await codeWithHistory(ctx, String(req.params.code));
    res.json({
      ...codeView(record),
      origin: origin && { ...origin, createdAt: origin.createdAt.toISOString() },
      history: history.map((h) => ({ ...h, at: h.at.toISOString() })),
    });
  });

  router.post('/codes/:code/cancel', allow('operator'), async (req, res) => {
    const { reason } = parse(cancelRequest, req.body);
    res.json(codeView(await cancelCode(ctx, String(req.params.code), reason, req.principal!.id)));
  });

  return router;
}

export function describeCodeRoutes(registry: OpenAPIRegistry): void {
  const ok = (description: string, schema: Parameters<typeof jsonBody>[0]) => ({
    description,
    content: { 'application/json': { schema } },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/codes',
    tags: ['Codes'],
    summary: 'Search codes by pool, status, member, batch, prefix and dates (cursor pagination, in code order)',
    request: { query: codeSearchQuery },
    responses: { 200: ok('A page of codes', codePage), ...errorResponses(400, 401, 403) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/codes/export',
    tags: ['Codes'],
    summary: 'Export the codes matching the search filters as CSV, streamed (formula-like cells are escaped)',
    request: { query: codeFilters },
    responses: {
      200: { description: 'CSV with a header row', content: { 'text/csv': { schema: { type: 'string' } } } },
      ...errorResponses(400, 401, 403),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/codes/{code}',
    tags: ['Codes'],
    summary: 'One code with its origin and history (case, spaces and dashes ignored)',
    description:
      'A code of a check-character family whose check character fails: 422 `invalid_check_character` (re-check the code), whether or not such a code exists.',
    request: { params: codeParam },
    responses: { 200: ok('The code', codeDetailView), ...errorResponses(400, 401, 403, 404, 422) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/codes/{code}/cancel',
    tags: ['Codes'],
    summary: 'Cancel an unused or reserved code (409 for a redeemed, awarded or fulfilled one)',
    request: { params: codeParam, body: jsonBody(cancelRequest) },
    responses: { 200: ok('The cancelled code', codeSchema), ...errorResponses(400, 401, 403, 404, 409, 422) },
  });
}
