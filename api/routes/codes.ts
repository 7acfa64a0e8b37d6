import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { allow } from '../auth';
import { ApiError } from '../errors';
import { codeParam, codeView as codeSchema } from '../schemas/code';
import { errorResponses } from '../openapi';
import { codeView } from '../views';
import { findCode } from '../../db/codes';
import { normalizeCode } from '../../domain/normalize-code';
import type { AppContext } from '../../services/context';

export function codeRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/codes/:code', allow('marketer', 'operator'), async (req, res) => {
    const code = normalizeCode(String(req.params.code));
    if (!code) throw new ApiError(400, 'invalid_code', 'a code is 1-64 letters and digits (spaces and dashes are ignored)', 'code');
    const record = await findCode(ctx.db, code);
    if (!record) throw new ApiError(404, 'code_not_found', `no code "${code}"`, 'code');
    res.json(codeView(record));
  });

  return router;
}

export function describeCodeRoutes(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/v1/codes/{code}',
    summary: 'Find one code by its value (case, spaces and dashes ignored)',
    tags: ['Codes'],
    request: { params: codeParam },
    responses: {
      200: { description: 'The code', content: { 'application/json': { schema: codeSchema } } },
      ...errorResponses(400, 401, 403, 404),
    },
  });
}
