import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { allow } from '../auth';
import { errorBody } from '../errors';
import { parse } from '../validate';
import { errorResponses, jsonBody } from '../openapi';
import { redemptionOutcome } from '../schemas/event';
import { postEventRequest } from '../../model/event';
import { postEvent } from '../../services/events';
import type { AppContext } from '../../services/context';

export function eventRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post('/events', allow('producer'), async (req, res) => {
    const outcome = await postEvent(ctx, parse(postEventRequest, req.body), req.principal!.id);
    if (outcome.reason === 'too_many_attempts') {
      // Says nothing about the code: a locked-out guesser learns no more from a 429 than from the lockout itself.
      return res.status(429).json({ ...errorBody('too_many_attempts', 'too many failed code attempts; try again later'), eventId: outcome.eventId });
    }
    res.json(outcome);
  });
  return router;
}

export function describeEventRoutes(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/events',
    summary: 'Post a custom event; a code it carries is redeemed exactly once (a workflow keyed by the event id) and the outcome answered',
    description: 'Answers 200 with outcome `redeemed` (and the effects applied) or `rejected` (one reason code); 429 `too_many_attempts` after too many failed code attempts by the member or the API key.',
    tags: ['Campaigns'],
    request: { body: jsonBody(postEventRequest) },
    responses: {
      200: { description: 'The outcome', content: { 'application/json': { schema: redemptionOutcome } } },
      ...errorResponses(400, 401, 403, 422),
      429: { description: 'Too many failed code attempts', content: { 'application/json': { schema: redemptionOutcome } } },
    },
  });
}
