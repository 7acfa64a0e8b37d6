import { Router, type RequestHandler } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { allow } from '../auth';
import { ApiError } from '../errors';
import { uploadBody, uploadIdempotency } from '../idempotency';
import { parse } from '../validate';
import { encodeCursor, keysetPage, readWholeNumber, decodeRequestedCursor } from '../cursor';
import { errorResponses } from '../openapi';
import { codeImportReportQuery, codeImportView as codeImportSchema, createCodeImportQuery, importIdParam } from '../schemas/code-import';
import { z } from '../../model/zod';
import { codeImportView } from '../views';
import { createCodeImport } from '../../services/code-imports';
import { parsePoolReference } from '../../model/pool';
import { importCodeStatuses } from '../../services/code-status-imports';
import { statusImportReport } from '../schemas/code';
import { findBatch } from '../../db/code-batches';
import { loadOrNotFound } from '../../services/load-or-not-found';
import { listRejections } from '../../db/code-imports';
import type { AppContext } from '../../services/context';

export const requireCsv: RequestHandler = (req, _res, next) => {
  if (!req.is('text/csv')) throw new ApiError(415, 'unsupported_media_type', 'send the file as text/csv', 'Content-Type');
  next();
};

/** CSV uploads: mounted before the JSON body parser, they stream the request body themselves. */
export function codeImportUploadRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post('/code-imports', allow('marketer', 'operator'), requireCsv, uploadIdempotency(ctx.db), async (req, res) => {
    const query = parse(createCodeImportQuery, req.query);
    const batch = await createCodeImport(
      ctx,
      (query.pool && parsePoolReference(query.pool)) || undefined,
      uploadBody(req),
      req.principal!.id,
    );
    res.status(202).location(`/v1/code-imports/${batch.id}`).json(codeImportView(batch));
  });
  router.post('/code-status-imports', allow('operator'), requireCsv, uploadIdempotency(ctx.db), async (req, res) => {
    parse(z.object({}).strict(), req.query);
    res.json(await importCodeStatuses(ctx, uploadBody(req), req.principal!.id));
  });
  return router;
}

export function codeImportRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/code-imports/:id', allow('marketer', 'operator'), async (req, res) => {
    const query = parse(codeImportReportQuery, req.query);
    const findImport = async (id: string) => {
      const batch = await findBatch(ctx.db, id);
      return batch?.source === 'import' ? batch : null;
    };
    const batch = await loadOrNotFound(importIdParam.safeParse(req.params).data?.id, findImport, {
      code: 'import_not_found',
      message: `no code import with id "${req.params.id}"`,
      field: 'id',
    });
    // The deprecated `after` is a bare line number; as a cursor it goes through the same reader as `cursor`.
    const after = query.after === undefined ? undefined : encodeCursor(query.after);
    const afterLine = decodeRequestedCursor({ cursor: query.cursor, after }, 'after', readWholeNumber) ?? 0;
    const rows = await listRejections(ctx.db, batch.id, afterLine, query.limit + 1);
    const { items, nextCursor } = keysetPage(rows, query.limit, (r) => r.line);
    res.json(codeImportView(batch, items, nextCursor));
  });
  return router;
}

export function describeCodeImportRoutes(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/code-imports',
    summary: 'Import codes from a CSV file (header `code`, optional `expires_at`, other columns kept as attributes)',
    description:
      'Streams into PostgreSQL and runs as a Temporal workflow; answers 202 with the job. A BOM, CRLF, quoted fields and blank lines are handled.',
    tags: ['Codes'],
    request: {
      query: createCodeImportQuery,
      body: {
        required: true,
        content: { 'text/csv': { schema: z.string().openapi({ example: 'code,expires_at\nGIFT-0001,2027-01-31\n' }) } },
      },
    },
    responses: {
      202: { description: 'The import was accepted', content: { 'application/json': { schema: codeImportSchema } } },
      ...errorResponses(400, 401, 403, 409, 413, 415, 422, 503),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/code-status-imports',
    summary: 'Change code statuses in bulk from a CSV (`code,status[,reason]`): redeemed/awarded → fulfilled, unused/reserved → cancelled',
    description:
      'One transaction: the file is staged (COPY) and then applied in one statement, so no code is locked while it streams in. ' +
      'Rows are judged in line order; rows asking for a status the code already has count as unchanged; every refused row is reported. ' +
      'With an Idempotency-Key the file is part of the match: another file with the same key is 422 `idempotency_key_reused`.',
    tags: ['Codes'],
    request: {
      body: { required: true, content: { 'text/csv': { schema: z.string().openapi({ example: 'code,status\nGIFT0001,fulfilled\n' }) } } },
    },
    responses: {
      200: { description: 'What was applied and what was refused', content: { 'application/json': { schema: statusImportReport } } },
      ...errorResponses(400, 401, 403, 409, 413, 415, 422, 503),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/code-imports/{id}',
    summary: 'Status, counts and the row report (paginated) of an import',
    tags: ['Codes'],
    request: { params: importIdParam, query: codeImportReportQuery },
    responses: {
      200: { description: 'The import', content: { 'application/json': { schema: codeImportSchema } } },
      ...errorResponses(400, 401, 403, 404),
    },
  });
}
