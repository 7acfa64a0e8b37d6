import { Router } from 'express';
import { loadOrNotFound } from '../../services/load-or-not-found';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { allow } from '../auth';
import { parse } from '../validate';
import { batchIdParam, codeBatchView as codeBatchSchema } from '../schemas/code-batch';
import { codeGenerationInput } from '../../model/code-generation';
import { errorResponses, jsonBody } from '../openapi';
import { z } from '../../model/zod';
import { codeBatchView } from '../views';
import { cancelCodeBatch, checkCodeBatchKeyspace, createCodeBatch } from '../../services/code-batches';
import { cancelRequest } from '../schemas/code';
import { findBatch } from '../../db/code-batches';
import type { AppContext } from '../../services/context';

export function codeBatchRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post('/code-batches', allow('marketer', 'operator'), async (req, res) => {
    const request = parse(codeGenerationInput, req.body);
    const batch = await createCodeBatch(ctx, request, req.principal!.id);
    res.status(202).location(`/v1/code-batches/${batch.id}`).json(codeBatchView(batch));
  });

  router.post('/code-batches/keyspace-check', allow('marketer', 'operator'), async (req, res) => {
    res.json(await checkCodeBatchKeyspace(ctx, parse(codeGenerationInput, req.body)));
  });

  const loadBatch = (rawId: string) =>
    loadOrNotFound(batchIdParam.safeParse({ id: rawId }).data?.id, (id) => findBatch(ctx.db, id), {
      code: 'batch_not_found',
      message: `no code batch with id "${rawId}"`,
      field: 'id',
    });

  router.get('/code-batches/:id', allow('marketer', 'operator'), async (req, res) => {
    res.json(codeBatchView(await loadBatch(String(req.params.id))));
  });

  router.post('/code-batches/:id/cancel', allow('operator'), async (req, res) => {
    const { reason } = parse(cancelRequest, req.body);
    const batch = await loadBatch(String(req.params.id));
    const workflowId = await cancelCodeBatch(ctx, batch, reason, req.principal!.id);
    res.status(202).json({ batchId: batch.id, workflowId });
  });

  return router;
}

const keyspaceReport = z
  .object({
    ok: z.boolean().openapi({ description: 'Whether POST /v1/code-batches would accept this quantity now' }),
    combinations: z
      .string()
      .openapi({ description: 'All combinations of this length and alphabet (a decimal string: it may exceed 2^53)' }),
    free: z.string().openapi({ description: 'Combinations not yet requested for this prefix/length/charset' }),
    used: z.number().int(),
    maxQuantity: z
      .string()
      .openapi({ description: 'Largest quantity one request of this shape may ask for now (1% of the free combinations)' }),
    minLength: z.number().int().openapi({ description: 'Smallest length that would accept the quantity' }),
    alphabetSize: z.number().int(),
    message: z.string(),
  })
  .openapi('KeyspaceReport');

export function describeCodeBatchRoutes(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/code-batches/keyspace-check',
    summary: "Check a generation request against the keyspace rule without creating anything (the wizard's live feedback)",
    tags: ['Codes'],
    request: { body: jsonBody(codeGenerationInput) },
    responses: {
      200: { description: 'The verdict', content: { 'application/json': { schema: keyspaceReport } } },
      ...errorResponses(400, 401, 403),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/code-batches',
    summary: 'Generate codes (a Temporal workflow); answers 202 with the job',
    tags: ['Codes'],
    request: { body: jsonBody(codeGenerationInput) },
    responses: {
      202: { description: 'The batch was accepted and its workflow started', content: { 'application/json': { schema: codeBatchSchema } } },
      ...errorResponses(400, 401, 403, 409, 413, 415, 422, 503),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/code-batches/{id}/cancel',
    summary: 'Cancel every still-unused or reserved code of a finished batch (a workflow); answers 202',
    tags: ['Codes'],
    request: { params: batchIdParam, body: jsonBody(cancelRequest) },
    responses: {
      202: {
        description: 'Cancellation started',
        content: { 'application/json': { schema: z.object({ batchId: z.string().uuid(), workflowId: z.string() }) } },
      },
      ...errorResponses(400, 401, 403, 404, 409, 503),
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
