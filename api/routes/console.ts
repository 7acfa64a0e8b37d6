import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ROLES } from '../../model/roles';
import { errorResponses } from '../openapi';
import { parse } from '../validate';
import {
  cursorParam,
  deprecatedCursorParam,
  deprecatedNextField,
  isUuid,
  keysetPage,
  nextCursorField,
  readTimeAndId,
  decodeRequestedCursor,
} from '../cursor';
import { z } from '../../model/zod';
import { codeBatchView as codeBatchSchema } from '../schemas/code-batch';
import { poolQueryValue } from '../../model/code-filters';
import { campaignRulesJsonSchema } from '../schemas/campaign-rules-schema';
import { codeBatchView } from '../views';
import { allow } from '../auth';
import { listBatches } from '../../db/code-batches';
import type { AppContext } from '../../services/context';

/** What the console needs beyond the resources themselves: who the key is, where the Temporal UI lives, jobs. */
const meView = z
  .object({
    role: z.enum(ROLES),
    keyId: z.string().openapi({
      description: "The key's id: its role and a short hash of it (the key itself is never shown)",
      example: 'marketer:1c6d5c4689ca',
    }),
    temporalUiUrl: z.string().nullable().openapi({ description: 'Base URL of the Temporal Web UI (workflow links), when known' }),
    temporalNamespace: z.string(),
  })
  .openapi('Me');

const jobsQuery = z
  .object({
    pool: z
      .union([z.literal('bank'), poolQueryValue])
      .optional()
      .openapi({ description: '`bank`, `campaign:<id>` or `reward:<id>`' }),
    source: z.enum(['generation', 'import']).optional(),
    cursor: cursorParam,
    before: deprecatedCursorParam('nextBefore'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

const jobsPage = z
  .object({
    jobs: z.array(codeBatchSchema.extend({ rejected: z.number().int() })),
    nextCursor: nextCursorField,
    nextBefore: deprecatedNextField(),
  })
  .openapi('JobPage');

const readJobKey = readTimeAndId(isUuid);

export function consoleRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/me', (req, res) => {
    res.json({
      role: req.principal!.role,
      keyId: req.principal!.id,
      temporalUiUrl: ctx.config.temporalUiUrl ?? null,
      temporalNamespace: ctx.config.temporalNamespace,
    });
  });
  router.get('/schemas/campaign-rules.json', (_req, res) => {
    res.json(campaignRulesJsonSchema());
  });
  router.get('/jobs', allow('marketer', 'operator'), async (req, res) => {
    const query = parse(jobsQuery, req.query);
    const pool =
      query.pool === undefined
        ? undefined
        : query.pool === 'bank'
          ? { kind: 'bank' as const, ownerId: null }
          : {
              kind: query.pool.slice(0, query.pool.indexOf(':')) as 'campaign' | 'reward',
              ownerId: query.pool.slice(query.pool.indexOf(':') + 1),
            };
    const before = decodeRequestedCursor(query, 'before', readJobKey);
    const rows = await listBatches(ctx.db, { pool, source: query.source, before, limit: query.limit + 1 });
    const { items, nextCursor } = keysetPage(rows, query.limit, (b) => [b.pageAt, b.id]);
    res.json({ jobs: items.map((b) => ({ ...codeBatchView(b), rejected: b.rejected })), nextCursor, nextBefore: nextCursor });
  });
  return router;
}

export function describeConsoleRoutes(registry: OpenAPIRegistry): void {
  const ok = (description: string, schema: z.ZodTypeAny) => ({ description, content: { 'application/json': { schema } } });
  registry.registerPath({
    method: 'get',
    path: '/v1/me',
    tags: ['Console'],
    summary: "The key's role and the console's settings (Temporal UI link)",
    responses: { 200: ok('Who the key is', meView), ...errorResponses(401) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/schemas/campaign-rules.json',
    tags: ['Console'],
    summary: "JSON Schema of a campaign's rules (facts, paths, operators, effects), generated from the API's zod schemas",
    responses: { 200: ok('A JSON Schema (draft-07)', z.object({}).passthrough()), ...errorResponses(401) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/jobs',
    tags: ['Codes'],
    summary: 'Generation and import jobs, newest first (keyset paging)',
    request: { query: jobsQuery },
    responses: { 200: ok('A page of jobs', jobsPage), ...errorResponses(400, 401, 403) },
  });
}
