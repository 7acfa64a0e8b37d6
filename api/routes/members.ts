import { Router } from 'express';
import { decodeCursor, keysetPage, readWholeNumber } from '../cursor';
import { loadOrNotFound } from '../../services/load-or-not-found';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { allow } from '../auth';
import { parse } from '../validate';
import { errorResponses, jsonBody } from '../openapi';
import { memberIdParam, memberView as memberSchema, transactionPage, transactionsQuery } from '../schemas/member';
import { memberInput } from '../../model/member';
import { findMember, upsertMember, type Member } from '../../db/members';
import { listPointTransactions, type PointTransaction } from '../../db/points-ledger';
import type { AppContext } from '../../services/context';

function memberView(member: Member) {
  return {
    id: member.id,
    tier: member.tier,
    segments: member.segments,
    tags: member.tags,
    enrolledAt: member.enrolledAt,
    attributes: member.attributes,
    balance: member.balance,
    createdAt: member.createdAt.toISOString(),
    updatedAt: member.updatedAt.toISOString(),
  };
}

function transactionView(t: PointTransaction) {
  return {
    id: t.id,
    kind: t.kind,
    points: t.points,
    source: t.source,
    reference: t.reference,
    attributes: t.attributes,
    createdAt: t.createdAt.toISOString(),
  };
}

// A transaction page's key is the last id shown; 15 digits keep it a safe integer for the bigint comparison.
export function memberRoutes(ctx: AppContext): Router {
  const router = Router();

  // An id that no member could have is simply not found; only PUT, which would create it, calls it invalid.
  const loadMember = (rawId: string) =>
    loadOrNotFound(memberIdParam.safeParse({ id: rawId }).data?.id, (id) => findMember(ctx.db, id), {
      code: 'member_not_found',
      message: `no member with id "${rawId}"`,
      field: 'id',
    });

  router.put('/members/:id', allow('marketer', 'operator', 'producer'), async (req, res) => {
    const { id } = parse(memberIdParam, { id: String(req.params.id) });
    const body = parse(memberInput, req.body);
    const { member, created } = await upsertMember(ctx.db, id, { ...body, tier: body.tier ?? null, enrolledAt: body.enrolledAt ?? null });
    if (created) res.status(201).location(`/v1/members/${encodeURIComponent(id)}`);
    res.json(memberView(member));
  });

  router.get('/members/:id', allow('marketer', 'operator', 'producer'), async (req, res) => {
    res.json(memberView(await loadMember(String(req.params.id))));
  });

  router.get('/members/:id/transactions', allow('marketer', 'operator'), async (req, res) => {
    const { limit, cursor } = parse(transactionsQuery, req.query);
    const before = decodeCursor(cursor, readWholeNumber);
    const member = await loadMember(String(req.params.id));
    const rows = await listPointTransactions(ctx.db, member.id, before, limit + 1);
    const { items, nextCursor } = keysetPage(rows, limit, (t) => t.id);
    res.json({ transactions: items.map(transactionView), nextCursor });
  });

  return router;
}

export function describeMemberRoutes(registry: OpenAPIRegistry): void {
  const ok = (description: string, schema: Parameters<typeof jsonBody>[0]) => ({
    description,
    content: { 'application/json': { schema } },
  });
  registry.registerPath({
    method: 'put',
    path: '/v1/members/{id}',
    tags: ['Members'],
    summary: 'Create or replace a member profile (201 when new, 200 when replaced); the points balance is kept',
    request: { params: memberIdParam, body: jsonBody(memberInput) },
    responses: {
      200: ok('The replaced member', memberSchema),
      201: ok('The new member', memberSchema),
      ...errorResponses(400, 401, 403, 415),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/members/{id}',
    tags: ['Members'],
    summary: 'One member with its points balance',
    request: { params: memberIdParam },
    responses: { 200: ok('The member', memberSchema), ...errorResponses(401, 403, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/members/{id}/transactions',
    tags: ['Members'],
    summary: "A member's points ledger, newest first (cursor pagination)",
    request: { params: memberIdParam, query: transactionsQuery },
    responses: { 200: ok('A page of ledger entries', transactionPage), ...errorResponses(400, 401, 403, 404) },
  });
}
