import { startTestSystem, type TestSystem } from '../support/test-system';

/** Security headers on API answers and on the docs page (the console's are in test/browser/console-security). */
let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system.stop());

test.each(['/healthz', '/openapi.json', '/v1/me', '/v1/nothing-here'])('%s: nothing may load from an API answer', async (path) => {
  const res = await system.api.get(path).set(system.as('marketer'));
  expect(res.headers['content-security-policy']).toBe(
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
  );
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['x-powered-by']).toBeUndefined();
});

test('the docs page runs only its own scripts and can not be framed', async () => {
  const res = await system.api.get('/docs/');
  expect(res.status).toBe(200);
  const policy = res.headers['content-security-policy'];
  expect(policy).toContain("script-src 'self';");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(res.headers['x-frame-options']).toBe('DENY');
  // swagger-ui-express's page holds no inline script (its init is a file), so the policy costs it nothing.
  expect(res.text).not.toMatch(/<script>(?!\s*<\/script>)/);
});

test("/v1/me shows the key's id, never the key", async () => {
  const res = await system.api.get('/v1/me').set(system.as('marketer'));
  expect(res.body.keyId).toMatch(/^marketer:[0-9a-f]{12}$/);
  expect(JSON.stringify(res.body)).not.toContain(system.as('marketer').Authorization.slice('Bearer '.length));
});
