import { Router } from 'express';
import { loadOrNotFound } from '../../services/load-or-not-found';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { allow } from '../auth';
import { ApiError } from '../errors';
import { parse } from '../validate';
import { errorResponses, jsonBody } from '../openapi';
import { eventSchemaList, eventSchemaNameParam, eventSchemaView as eventSchemaSchema } from '../schemas/event-schema';
import { eventSchemaInput, eventSchemaPatch } from '../../model/event-schema';
import { listEventSchemas, type EventSchema } from '../../db/event-schemas';
import { changeEventSchema, createEventSchema } from '../../services/event-schemas';
import type { AppContext } from '../../services/context';

function eventSchemaView(schema: EventSchema) {
  return {
    name: schema.name,
    attributes: schema.attributes.map((a) => ({ name: a.name, type: a.type, required: a.required ?? false })),
    active: schema.active,
    createdAt: schema.createdAt.toISOString(),
    updatedAt: schema.updatedAt.toISOString(),
  };
}

export function eventSchemaRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/event-schemas', allow('marketer'), async (req, res) => {
    const input = parse(eventSchemaInput, req.body);
    const schema = await createEventSchema(ctx, input, req.principal!.id);
    if (!schema)
      throw new ApiError(409, 'event_schema_exists', `an event schema named "${input.name}" exists already; PATCH it instead`, 'name');
    res.status(201).location(`/v1/event-schemas/${schema.name}`).json(eventSchemaView(schema));
  });

  router.get('/event-schemas', allow('marketer', 'operator', 'producer'), async (_req, res) => {
    res.json({ eventSchemas: (await listEventSchemas(ctx.db)).map(eventSchemaView) });
  });

  router.patch('/event-schemas/:name', allow('marketer'), async (req, res) => {
    const rawName = String(req.params.name);
    const changes = parse(eventSchemaPatch, req.body);
    // A name no schema could have is simply not found.
    const schema = await loadOrNotFound(
      eventSchemaNameParam.safeParse({ name: rawName }).data?.name,
      (name) => changeEventSchema(ctx, name, changes, req.principal!.id),
      {
        code: 'event_schema_not_found',
        message: `no event schema named "${rawName}"`,
        field: 'name',
      },
    );
    res.json(eventSchemaView(schema));
  });

  return router;
}

export function describeEventSchemaRoutes(registry: OpenAPIRegistry): void {
  const ok = (description: string, schema: Parameters<typeof jsonBody>[0]) => ({
    description,
    content: { 'application/json': { schema } },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/event-schemas',
    tags: ['Event schemas'],
    summary: 'Declare the attributes an event of this name carries (409 if the name is taken)',
    request: { body: jsonBody(eventSchemaInput) },
    responses: { 201: ok('The new event schema', eventSchemaSchema), ...errorResponses(400, 401, 403, 409, 415) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/event-schemas',
    tags: ['Event schemas'],
    summary: 'Every event schema, by name',
    responses: { 200: ok('The event schemas', eventSchemaList), ...errorResponses(401, 403) },
  });
  registry.registerPath({
    method: 'patch',
    path: '/v1/event-schemas/{name}',
    tags: ['Event schemas'],
    summary: 'Replace the attributes of an event schema and/or switch it on or off',
    request: { params: eventSchemaNameParam, body: jsonBody(eventSchemaPatch) },
    responses: { 200: ok('The updated event schema', eventSchemaSchema), ...errorResponses(400, 401, 403, 404, 415) },
  });
}
