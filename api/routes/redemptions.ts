import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { allow } from '../auth';
import { parse } from '../validate';
import { errorResponses, jsonBody } from '../openapi';
import { z } from '../../model/zod';
import { cancelRequest } from '../schemas/code';
import { redemptionOutcome } from '../schemas/event';
import { producerQuery } from '../schemas/event-search';
import { rewardRedemptionView } from '../../model/reward';
import { assignReservation } from '../../services/reward-redemptions';
import { rollBackRedemption } from '../../services/rollback';
import type { AppContext } from '../../services/context';

const assignBody = z
  .object({ memberId: z.string().min(1).max(128), as: z.enum(['redemption', 'award']), attributes: z.record(z.unknown()).default({}) })
  .strict()
  .openapi('AssignReservationRequest', { example: { memberId: 'shop:10042', as: 'award', attributes: {} } });

export function redemptionRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post('/redemptions/:id/rollback', allow('operator'), async (req, res) => {
    const { reason } = parse(cancelRequest, req.body);
    const { producer } = parse(producerQuery, req.query);
    res.json(await rollBackRedemption(ctx, String(req.params.id), reason, req.principal!.id, producer));
  });
  router.post('/redemptions/:id/assign', allow('producer', 'operator'), async (req, res) => {
    res.json(await assignReservation(ctx, String(req.params.id), parse(assignBody, req.body), req.principal!.id));
  });
  return router;
}

export function describeRedemptionRoutes(registry: OpenAPIRegistry): void {
  const idParam = z.object({ id: z.string().openapi({ description: 'A reward redemption id, or the event id of a campaign redemption' }) });
  const ok = (schema: z.ZodTypeAny) => ({ 200: { description: 'The redemption', content: { 'application/json': { schema } } } });
  const rolledBack = z
    .union([
      rewardRedemptionView.extend({ type: z.literal('reward') }),
      z.object({
        type: z.literal('campaign'),
        eventId: z.string(),
        campaignId: z.string(),
        status: z.literal('rolled_back'),
        outcome: redemptionOutcome,
      }),
    ])
    .openapi('RolledBackRedemption');
  registry.registerPath({
    method: 'post',
    path: '/v1/redemptions/{id}/rollback',
    tags: ['Rewards'],
    summary: 'Roll back a reward or campaign redemption exactly once: points reversed, budget and frequency restored, code freed',
    description:
      'A campaign redemption is named by its event id; when several producers used that id, `?producer=` says whose (else 409 `event_id_ambiguous`). A `fulfilled` code stays fulfilled: its points and budget come back, the code is not handed out again.',
    request: { params: idParam, query: producerQuery, body: jsonBody(cancelRequest) },
    responses: { ...ok(rolledBack), ...errorResponses(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/redemptions/{id}/assign',
    tags: ['Rewards'],
    summary: 'Assign a reserved code to a member before the reservation expires (as a redemption or an award)',
    request: { params: idParam, body: jsonBody(assignBody) },
    responses: { ...ok(rewardRedemptionView), ...errorResponses(400, 401, 403, 404, 409, 422) },
  });
}
