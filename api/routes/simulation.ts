import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { allow } from '../auth';
import { parse } from '../validate';
import { errorResponses, jsonBody } from '../openapi';
import { campaignIdParam } from '../schemas/campaign';
import { replayView, simulationView } from '../schemas/simulation';
import { replayRequest, simulateRequest } from '../../model/simulation';
import { replay, simulate } from '../../services/simulation';
import type { AppContext } from '../../services/context';

/** Dry runs of the redemption decision: they read, never write (see services/simulation.ts). */
export function simulationRoutes(ctx: AppContext): Router {
  const router = Router();
  // Operators may simulate too: "why was this member's code refused?" is a support question.
  router.post('/campaigns/:id/simulate', allow('marketer', 'operator'), async (req, res) => {
    const { id } = parse(campaignIdParam, { id: String(req.params.id) });
    res.json(await simulate(ctx, id, parse(simulateRequest, req.body)));
  });
  // The what-if over up to 10,000 events is a marketing decision about a draft rule set.
  router.post('/campaigns/:id/replay', allow('marketer'), async (req, res) => {
    const { id } = parse(campaignIdParam, { id: String(req.params.id) });
    res.json(await replay(ctx, id, parse(replayRequest, req.body)));
  });
  return router;
}

export function describeSimulationRoutes(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/campaigns/{id}/simulate',
    tags: ['Campaigns'],
    summary: 'Dry-run an event: the same decision as POST /v1/events (optionally with a draft rule set), writing nothing',
    description:
      "Give `memberId` (a stored member) or `member` (a typed profile). Without `code` the code checks are skipped. A draft `rules` set is checked like a campaign's at save time (400 naming `rules.0.conditions…`). The lockout never applies.",
    request: { params: campaignIdParam, body: jsonBody(simulateRequest) },
    responses: {
      200: { description: 'What would happen', content: { 'application/json': { schema: simulationView } } },
      ...errorResponses(400, 401, 403, 404),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/campaigns/{id}/replay',
    tags: ['Campaigns'],
    summary: "What-if: re-decide the campaign's last N recorded events with a draft or a saved rule set (rulesVersion), writing nothing",
    description:
      "Events are replayed oldest first over the members' current profiles and each event's recorded attributes; outcomes decided before the rules (code, lockout, campaign window) are kept. Frequency limits count within the replayed events; the budget starts from what was used before them.",
    request: { params: campaignIdParam, body: jsonBody(replayRequest) },
    responses: {
      200: { description: 'Current and draft outcomes side by side', content: { 'application/json': { schema: replayView } } },
      ...errorResponses(400, 401, 403, 404),
    },
  });
}
