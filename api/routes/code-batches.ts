import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { allow } from '../auth';
import { ApiError } from '../errors';
import { parse } from '../validate';
import { batchIdParam, codeBatchView as codeBatchSchema, createCodeBatchRequest } from '../schemas/code-batch';
import { errorResponses, jsonBody } from '../openapi';
import { codeBatchView } from '../views';
import { createCodeBatch } from '../../services/code-batches';
import { findBatch } from '../../db/code-batches';
import type { AppContext } from '../../services/context';

export function codeBatchRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/code-batches', allow('marketer', 'operator'), async (req, res) => {
    const request = parse(createCodeBatchRequest, req.body);
    const batch = await createCodeBatch(ctx, request, req.principal!.id);
    res.status(202).location(`/v1/code-batches/${batch.id}`).json(codeBatchView(batch));
  });

  router.get('/code-batches/:id', allow('marketer', 'operator'), async (req, res) => {
    const { id } = batchIdParam.safeParse(req.params).data ?? {};
    const batch = id ? await findBatch(ctx.db, id) : null;
    if (!batch) throw new ApiError(404, 'batch_not_found', `no code batch with id "${req.params.id}"`, 'id');
    res.json(codeBatchView(batch));
  });

  return router;
}

export function describeCodeBatchRoutes(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/code-batches',
    summary: 'Generate codes (a Temporal workflow); answers 202 with the job',
    tags: ['Codes'],
    request: { body: jsonBody(createCodeBatchRequest) },
    responses: {
      202: { description: 'The batch was accepted and its workflow started', content: { 'application/json': { schema: codeBatchSchema } } },
      ...errorResponses(400, 401, 403, 409, 413, 415, 422, 503),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/code-batches/{id}',
    summary: 'Status and progress (generated / requested) of a generation job',
    tags: ['Codes'],
    request: { params: batchIdParam },
    responses: {
      200: { description: 'The batch', content: { 'application/json': { schema: codeBatchSchema } } },
      ...errorResponses(401, 403, 404),
    },
  });
}
