import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { allow } from '../auth';
import { parse } from '../validate';
import { errorResponses } from '../openapi';
import { cursorParam, decodeCursor, keysetPage, nextCursorField, readWholeNumber } from '../cursor';
import { z } from '../../model/zod';
import { DomainError } from '../../model/errors';
import { auditEntity, auditEntry } from '../../model/audit';
import { listAuditEntries } from '../../db/audit-log';
import type { AppContext } from '../../services/context';

const auditLogQuery = z
  .object({
    entity: auditEntity.optional().openapi({ description: 'Only changes of this kind of record' }),
    id: z.string().min(1).max(200).optional().openapi({ description: "Only changes of this record (with `entity`), e.g. a campaign's id" }),
    actor: z.string().min(1).max(200).optional().openapi({ description: 'Only changes by this principal (role:<12 hex>)' }),
    from: z.string().datetime({ offset: true }).optional().openapi({ description: 'Changes at or after this time' }),
    to: z.string().datetime({ offset: true }).optional().openapi({ description: 'Changes before this time' }),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: cursorParam,
  })
  .strict();

const auditLogPage = z.object({ entries: z.array(auditEntry), nextCursor: nextCursorField }).openapi('AuditLogPage');

/** The history (README "History"): read-only; nothing in the API changes or deletes it. */
export function auditLogRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/audit-log', allow('marketer'), async (req, res) => {
    const q = parse(auditLogQuery, req.query);
    if (q.id !== undefined && q.entity === undefined) {
      throw new DomainError('invalid', 'validation_failed', 'id names a record of an entity: give entity too', 'entity');
    }
    const beforeId = decodeCursor(q.cursor, readWholeNumber);
    const rows = await listAuditEntries(
      ctx.db,
      {
        entityType: q.entity,
        entityId: q.id,
        actor: q.actor,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        beforeId,
      },
      q.limit + 1,
    );
    const { items, nextCursor } = keysetPage(rows, q.limit, (e) => Number(e.id));
    res.json({ entries: items, nextCursor });
  });
  return router;
}

export function describeAuditLogRoutes(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/v1/audit-log',
    tags: ['History'],
    summary: 'Who changed what: every change to configuration and every bulk action, newest first (cursor pagination)',
    request: { query: auditLogQuery },
    responses: {
      200: { description: 'A page of history entries', content: { 'application/json': { schema: auditLogPage } } },
      ...errorResponses(400, 401, 403),
    },
  });
}
