import { createApp, describeRoutes } from '../../api/app';
import { parseApiKeys } from '../../api/auth';
import { buildOpenApiDocument } from '../../api/openapi';
import { pathMatches, registeredRoutes } from '../../api/route-list';
import { loadConfig } from '../../runtime/config';
import type { AppContext } from '../../services/context';

interface Parameter {
  name: string;
  in: string;
  deprecated?: boolean;
}
interface Schema {
  $ref?: string;
  properties?: Record<string, Schema & { deprecated?: boolean; nullable?: boolean; type?: string }>;
}

export interface ListRoute {
  /** OpenAPI style: `/v1/webhooks/{id}/deliveries`. */
  path: string;
  query: Parameter[];
  /** Top-level fields of the 200 answer. */
  fields: NonNullable<Schema['properties']>;
}

const PAGING_PARAMS = ['limit', 'cursor', 'before', 'after'];

/**
 * Every list the API serves: a GET route of the express app (walked, not listed by hand) whose documented query
 * takes a paging parameter or whose answer carries a `next…` field. A new list is found here without anyone
 * remembering to add it.
 */
export function listRoutes(): ListRoute[] {
  const ctx = { db: {}, temporal: {}, config: loadConfig({}) } as unknown as AppContext;
  const served = registeredRoutes(createApp(ctx, parseApiKeys('admin:unit-test-key-0001'))).filter(
    (r) => r.method === 'get' && r.path.startsWith('/v1/'),
  );
  const doc = buildOpenApiDocument(describeRoutes) as unknown as {
    paths: Record<
      string,
      { get?: { parameters?: Parameter[]; responses: Record<string, { content?: Record<string, { schema: Schema }> }> } }
    >;
    components: { schemas: Record<string, Schema> };
  };
  const resolve = (schema: Schema | undefined): Schema | undefined =>
    schema?.$ref ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema;
  const routes: ListRoute[] = [];
  for (const route of served) {
    const [path, item] = Object.entries(doc.paths).find(([p]) => pathMatches(route.path, p)) ?? [];
    if (!path || !item?.get) continue;
    const query = (item.get.parameters ?? []).filter((p) => p.in === 'query');
    const fields = resolve(item.get.responses['200']?.content?.['application/json']?.schema)?.properties ?? {};
    // A `next…` field that is a position (string or number), not e.g. a lifecycle's next status change.
    const nextPosition = Object.entries(fields).some(([f, s]) => /^next/.test(f) && ['string', 'integer', 'number'].includes(s.type ?? ''));
    const pages = query.some((p) => PAGING_PARAMS.includes(p.name)) || nextPosition;
    if (pages && !routes.some((r) => r.path === path)) routes.push({ path, query, fields });
  }
  return routes;
}
