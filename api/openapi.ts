import { OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import type { ZodTypeAny } from 'zod';
import { errorResponse } from './schemas/common';

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid input (malformed JSON, wrong type, unknown field)',
  401: 'No or unknown API key',
  403: "The API key's role may not use this route",
  404: 'Not found',
  409: 'Conflict (e.g. an Idempotency-Key still in progress)',
  412: 'If-Match names an older version than the current one (precondition_failed): read again, redo the change',
  413: 'Body too large',
  415: 'Unsupported content type',
  405: 'The path exists but not with this method (the Allow header lists its methods)',
  422: 'Refused (e.g. keyspace too small, a mistyped code, Idempotency-Key reused with another body)',
  503: 'A dependency (database, Temporal) is unavailable; retry',
};

export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: STATUS_TEXT[s], content: { 'application/json': { schema: errorResponse } } }]),
  );
}

export function jsonBody(schema: ZodTypeAny) {
  return { required: true, content: { 'application/json': { schema } } };
}

/** The OpenAPI 3 document, generated from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(describe: Array<(registry: OpenAPIRegistry) => void>) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer', description: 'An API key from API_KEYS' });
  for (const d of describe) d(registry);
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'Loyalty codes campaign runner',
      version: '0.1.0',
      description:
        'Codes, campaigns and rewards. Errors share one shape: `{ error: { code, message, field? } }`. ' +
        'Every POST accepts an `Idempotency-Key` header. ' +
        'Every list pages the same way: pass `limit` and, for the next page, `cursor` = the `nextCursor` of the page before ' +
        '(opaque; null on the last page); each item comes exactly once across the pages. The older names `before`/`after` ' +
        '(query) and `next`/`nextBefore`/`nextAfter` (answer) still work for this version and are marked deprecated.',
    },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
  });
}
