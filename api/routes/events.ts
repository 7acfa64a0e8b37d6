import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { allow } from '../auth';
import { errorBody } from '../errors';
import { parse } from '../validate';
import { decodeCursor, keysetPage, readTimeAndId } from '../cursor';
import { errorResponses, jsonBody } from '../openapi';
import { z } from '../../model/zod';
import { redemptionOutcome, tooManyAttempts } from '../schemas/event';
import { postEventRequest } from '../../model/event';
import { eventDetailView, eventPage, eventSearchQuery, producerQuery } from '../schemas/event-search';
import { postEvent } from '../../services/events';
import { getEvent, searchEvents } from '../../services/event-log';
import type { AppContext } from '../../services/context';

const eventIdParam = z.object({ id: z.string().min(1).max(128) });
const readEventKey = readTimeAndId((id) => eventIdParam.safeParse({ id }).success);

export function eventRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post('/events', allow('producer'), async (req, res) => {
    const outcome = await postEvent(ctx, parse(postEventRequest, req.body), req.principal!.id);
    if (outcome.reason === 'too_many_attempts') {
      // Says nothing about the code: a locked-out guesser learns no more from a 429 than from the lockout itself.
      return res
        .status(429)
        .json({ ...errorBody('too_many_attempts', 'too many failed code attempts; try again later'), eventId: outcome.eventId });
    }
    res.json(outcome);
  });
  router.get('/events', allow('marketer', 'operator'), async (req, res) => {
    const { limit, cursor, ...filters } = parse(eventSearchQuery, req.query);
    const rows = await searchEvents(ctx, filters, decodeCursor(cursor, readEventKey), limit + 1);
    const { items, nextCursor } = keysetPage(rows, limit, (e) => [e.pageAt, e.eventId]);
    res.json({ items: items.map(({ pageAt: _position, ...event }) => event), nextCursor });
  });
  router.get('/events/:id', allow('marketer', 'operator'), async (req, res) => {
    const { id } = parse(eventIdParam, { id: String(req.params.id) });
    res.json(await getEvent(ctx, id, parse(producerQuery, req.query).producer));
  });
  return router;
}

export function describeEventRoutes(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/events',
    summary: 'Post a custom event; a code it carries is redeemed exactly once (keyed by the event id) and the outcome answered',
    description:
      'Decided in one PostgreSQL transaction in the API (no workflow on the answer path). Answers 200 with outcome `redeemed` (and the effects applied) or `rejected` (one reason code); 429 `too_many_attempts` after too many failed code attempts by the member, or by the API key when most of its attempts fail (a 429 is not stored: the same event sent later is decided then). Event ids are unique per producer (API key): the same id with the same body again answers the stored outcome; with another body 409 `event_id_reused`.',
    tags: ['Campaigns'],
    request: { body: jsonBody(postEventRequest) },
    responses: {
      200: { description: 'The outcome', content: { 'application/json': { schema: redemptionOutcome } } },
      ...errorResponses(400, 401, 403, 409, 422, 503),
      429: {
        description: 'Too many failed code attempts by the member or the API key (error too_many_attempts)',
        content: { 'application/json': { schema: tooManyAttempts } },
      },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/events',
    summary: 'Search decided events (newest first, keyset paging): by event id, member, code, campaign, time',
    tags: ['Campaigns'],
    request: { query: eventSearchQuery },
    responses: {
      200: { description: 'One page', content: { 'application/json': { schema: eventPage } } },
      ...errorResponses(400, 401, 403),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/events/{id}',
    summary: "One decided event: its outcome, reason, effects and its attempt in the code's history",
    description:
      'Event ids are unique per producer. When several producers used this id the answer is 409 `event_id_ambiguous` naming them; `?producer=` picks one.',
    tags: ['Campaigns'],
    request: { params: eventIdParam, query: producerQuery },
    responses: {
      200: { description: 'The event', content: { 'application/json': { schema: eventDetailView } } },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  });
}
