import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { allow } from '../auth';
import { errorBody } from '../errors';
import { parse } from '../validate';
import { errorResponses, jsonBody } from '../openapi';
import { z } from '../../model/zod';
import { eligibleRewardsView, rewardInput, rewardList, rewardRedemptionView, rewardView } from '../../model/reward';
import { fromLegacyReward } from '../../rules/legacy-reward';
import { listRewards } from '../../db/rewards';
import { createReward, eligibleRewards, loadReward, rewardWithCounts } from '../../services/rewards';
import { redeemReward, reserveReward } from '../../services/reward-redemptions';
import type { AppContext } from '../../services/context';

const redeemBody = z
  .object({
    memberId: z.string().min(1).max(128),
    attributes: z.record(z.unknown()).default({}),
    reference: z
      .string()
      .regex(/^[\x21-\x7e]{1,128}$/, 'a reference is 1-128 visible ASCII characters')
      .optional()
      .openapi({
        description:
          'Your id for this redemption (e.g. the order number), unique per API key: a retry with it answers the first redemption and never debits twice; with another reward, kind or member 409 `reference_reused`',
        example: 'order-1001',
      }),
  })
  .strict()
  .openapi('RedeemRewardRequest', { example: { memberId: 'shop:10042', attributes: { store: 'paris-01' } } });
const reserveBody = z
  .object({
    expiresInSeconds: z
      .number()
      .int()
      .min(1)
      .max(30 * 24 * 3600)
      .default(900),
  })
  .strict()
  .openapi('ReserveRewardRequest', { example: { expiresInSeconds: 900 } });
const createQuery = z.object({ format: z.enum(['native', 'legacy']).default('native') }).strict();
const explainQuery = z
  .object({
    explain: z.string().min(1).max(128).optional().openapi({ description: 'A reward id: say why the member is or is not eligible' }),
  })
  .strict();

function redemptionView(r: Awaited<ReturnType<typeof redeemReward>>) {
  return {
    ...r,
    reservedUntil: r.reservedUntil?.toISOString() ?? null,
    rolledBackAt: r.rolledBackAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

export function rewardRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/rewards', allow('marketer'), async (req, res) => {
    const { format } = parse(createQuery, req.query);
    let body: unknown = req.body;
    let ignored: string[] = [];
    if (format === 'legacy') {
      const adapted = fromLegacyReward(req.body);
      if (!adapted.ok) {
        const list = adapted.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
        return res.status(400).json({
          ...errorBody('legacy_reward_refused', `the reward can't be taken: ${list}`, adapted.errors[0]?.field),
          errors: adapted.errors,
        });
      }
      ({ reward: body, ignored } = adapted);
    }
    const reward = await createReward(ctx, parse(rewardInput, body), req.principal!.id);
    res
      .status(201)
      .location(`/v1/rewards/${encodeURIComponent(reward.id)}`)
      .json({ ...(await rewardWithCounts(ctx.db, reward)), ...(format === 'legacy' ? { ignoredFields: ignored } : {}) });
  });
  router.get('/rewards', allow('marketer', 'operator', 'producer'), async (_req, res) => {
    const rewards = await listRewards(ctx.db);
    res.json({ rewards: await Promise.all(rewards.map((r) => rewardWithCounts(ctx.db, r))) });
  });
  router.get('/rewards/:id', allow('marketer', 'operator', 'producer'), async (req, res) => {
    res.json(await rewardWithCounts(ctx.db, await loadReward(ctx.db, String(req.params.id))));
  });
  router.get('/members/:id/eligible-rewards', allow('marketer', 'operator', 'producer'), async (req, res) => {
    const { explain } = parse(explainQuery, req.query);
    res.json(await eligibleRewards(ctx, String(req.params.id), explain));
  });
  for (const [path, kind] of [
    ['redemptions', 'redemption'],
    ['awards', 'award'],
  ] as const) {
    router.post(`/rewards/:id/${path}`, allow('producer', 'operator'), async (req, res) => {
      const body = parse(redeemBody, req.body);
      res.status(201).json(redemptionView(await redeemReward(ctx, String(req.params.id), body, kind, req.principal!.id)));
    });
  }
  router.post('/rewards/:id/reservations', allow('producer', 'operator'), async (req, res) => {
    const { expiresInSeconds } = parse(reserveBody, req.body);
    res.status(201).json(redemptionView(await reserveReward(ctx, String(req.params.id), expiresInSeconds, req.principal!.id)));
  });
  return router;
}

export function describeRewardRoutes(registry: OpenAPIRegistry): void {
  const ok = (status: number, description: string, schema: z.ZodTypeAny) => ({
    [status]: { description, content: { 'application/json': { schema } } },
  });
  const idParam = z.object({ id: z.string() });
  registry.registerPath({
    method: 'post',
    path: '/v1/rewards',
    tags: ['Rewards'],
    summary: 'Create a reward (native shape, or the legacy vendor shape with ?format=legacy)',
    request: { query: createQuery, body: jsonBody(rewardInput) },
    responses: { ...ok(201, 'The reward with its certificate counts', rewardView), ...errorResponses(400, 401, 403, 409) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/rewards',
    tags: ['Rewards'],
    summary: 'List rewards in display order',
    responses: { ...ok(200, 'Rewards', rewardList), ...errorResponses(401, 403) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/rewards/{id}',
    tags: ['Rewards'],
    summary: 'One reward with certificate counts (total, unused, issued, redeemed)',
    request: { params: idParam },
    responses: { ...ok(200, 'The reward', rewardView), ...errorResponses(401, 403, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/members/{id}/eligible-rewards',
    tags: ['Rewards'],
    summary: 'Active rewards the member is eligible for; ?explain=<reward id> says why (not)',
    request: { params: idParam, query: explainQuery },
    responses: { ...ok(200, 'Eligible rewards or one explanation', eligibleRewardsView), ...errorResponses(400, 401, 403, 404) },
  });
  for (const [path, what] of [
    ['redemptions', 'Redeem for points: debit and one code (redeemed)'],
    ['awards', 'Award free: one code (awarded)'],
  ]) {
    registry.registerPath({
      method: 'post',
      path: `/v1/rewards/{id}/${path}`,
      tags: ['Rewards'],
      summary: what,
      request: { params: idParam, body: jsonBody(redeemBody) },
      responses: { ...ok(201, 'The redemption with its code', rewardRedemptionView), ...errorResponses(400, 401, 403, 404, 409, 422) },
    });
  }
  registry.registerPath({
    method: 'post',
    path: '/v1/rewards/{id}/reservations',
    tags: ['Rewards'],
    summary: 'Reserve an anonymous code until it expires (a durable timer frees it)',
    request: { params: idParam, body: jsonBody(reserveBody) },
    responses: { ...ok(201, 'The reservation', rewardRedemptionView), ...errorResponses(400, 401, 403, 404, 409) },
  });
}
