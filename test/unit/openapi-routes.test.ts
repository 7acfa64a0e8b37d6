import { createApp } from '../../api/app';
import { parseApiKeys } from '../../api/auth';
import { buildOpenApiDocument } from '../../api/openapi';
import { describeRoutes } from '../../api/app';
import { pathMatches, registeredRoutes } from '../../api/route-list';
import { loadConfig } from '../../runtime/config';
import type { AppContext } from '../../services/context';

/** Issue 15: every route registered in express is in the OpenAPI document, and every documented one is served. */
const ctx = { db: {}, temporal: {}, config: loadConfig({}) } as unknown as AppContext;
const app = createApp(ctx, parseApiKeys('admin:unit-test-key-0001'));
const served = registeredRoutes(app).filter((r) => r.path.startsWith('/v1/'));
const doc = buildOpenApiDocument(describeRoutes);
const documented = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
  Object.keys(item as object)
    .filter((m) => ['get', 'put', 'post', 'patch', 'delete'].includes(m))
    .map((method) => ({ method, path })),
);

it('finds the routes', () => {
  expect(served.length).toBeGreaterThan(20);
  expect(documented.length).toBeGreaterThan(20);
});

it('every express route is documented', () => {
  const missing = served.filter((r) => !documented.some((d) => d.method === r.method && pathMatches(r.path, d.path)));
  expect(missing).toEqual([]);
});

it('every documented route is served', () => {
  const missing = documented.filter((d) => !served.some((r) => r.method === d.method && pathMatches(r.path, d.path)));
  expect(missing).toEqual([]);
});
