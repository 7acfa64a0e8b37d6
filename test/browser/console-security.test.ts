import { startConsoleHarness, type ConsoleHarness } from '../support/browser';
import { eventually } from '../support/test-system';
import { addCodes, createCampaign, createCodeEventSchema } from '../support/campaign-setup';

/**
 * The console under its Content-Security-Policy (issue 29): headers on the page, a nonce per load that Mantine and
 * CodeMirror use for their <style> elements, and a script injected into the page refused. The harness fails any
 * browser test file whose pages broke the policy.
 */
let h: ConsoleHarness;

beforeAll(async () => {
  h = await startConsoleHarness();
  await createCodeEventSchema(h.system);
  await createCampaign(h.system, 'csp-campaign', { name: 'CSP campaign' });
  await addCodes(h.system, 'csp-campaign', ['CSPCODE0001']);
});
afterAll(() => h?.stop());

test('the console page carries a strict policy and a fresh nonce per load', async () => {
  const [first, second] = await Promise.all([fetch(`${h.baseUrl}/console/`), fetch(`${h.baseUrl}/console/campaigns/x`)]);
  const policy = first.headers.get('content-security-policy')!;
  expect(policy).toMatch(/default-src 'self'/);
  expect(policy).toMatch(/script-src 'self'(;|$)/);
  expect(policy).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'/);
  expect(policy).toMatch(/frame-ancestors 'none'/);
  expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(first.headers.get('x-frame-options')).toBe('DENY');
  expect(first.headers.get('x-content-type-options')).toBe('nosniff');
  expect(first.headers.get('referrer-policy')).toBe('no-referrer');
  const nonce = /'nonce-([^']+)'/.exec(policy)![1];
  expect(await first.text()).toContain(`<meta name="csp-nonce" content="${nonce}" />`);
  expect(/'nonce-([^']+)'/.exec(second.headers.get('content-security-policy')!)![1]).not.toBe(nonce);
  // index.html asked by name gets its nonce too (never the file as built).
  const byName = await fetch(`${h.baseUrl}/console/index.html`);
  expect(await byName.text()).toContain('<meta name="csp-nonce"');
});

test('the dashboard, the rules editor and the chart work under it; an injected script does not run', async () => {
  const page = await h.open('marketer', '/console/campaigns/csp-campaign');
  await page.getByRole('heading', { name: /CSP campaign/ }).waitFor();
  await page.getByText('Redemptions over time').waitFor();
  await page.getByRole('tab', { name: 'Rules' }).click();
  await page.locator('.cm-editor').waitFor();
  // Mantine's and CodeMirror's styles applied: their <style> elements carry the nonce.
  expect(await page.locator('style[nonce]').count()).toBeGreaterThan(0);
  expect(await page.evaluate(`getComputedStyle(document.querySelector('.cm-editor')).display`)).toBe('flex');
  expect(h.cspViolations).toEqual([]);

  // Written as a string: it runs in the page, whose DOM types the test's compiler does not have.
  const ran = await page.evaluate(`(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true';
    document.head.appendChild(script);
    await new Promise((r) => setTimeout(r, 100));
    return window.__injected === true;
  })()`);
  expect(ran).toBe(false);
  // That refusal was the test's own doing: the harness must not count it against the console.
  await eventually(async () => h.cspViolations.length > 0, 5000);
  h.cspViolations.splice(0);
  await page.close();
});

test('the docs page renders under its policy', async () => {
  const page = await h.context.newPage();
  const refused: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && m.text().includes('Content Security Policy')) refused.push(m.text());
  });
  await page.goto(`${h.baseUrl}/docs/`);
  await page.getByText('POST /v1/events'.split(' ')[1], { exact: true }).first().waitFor();
  expect(refused).toEqual([]);
  await page.close();
});
