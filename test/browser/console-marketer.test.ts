import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import type { ConsoleHarness } from '../support/browser';
import { postEvent } from '../support/campaign-setup';
import { startMarketerConsole } from '../support/marketer-console';
import { buildOpenApiDocument } from '../../api/openapi';
import { describeRoutes } from '../../api/app';

/**
 * A marketer's main flows through the console in a real Chromium, against the real API, PostgreSQL and Temporal.
 * Screenshots land in test-artifacts/console/. The tests after the wizard's build on its campaign, in order, in
 * one tab. The wizard by keyboard alone: console-marketer-keyboard.test.ts.
 */
let h: ConsoleHarness;
let page: Page;
const CAMPAIGN = 'summer-gold';

// The dry-run endpoint is another branch's work: the scenario runs once the API describes it.
const simulateLanded = Boolean((buildOpenApiDocument(describeRoutes).paths as Record<string, unknown>)['/v1/campaigns/{id}/simulate']);

beforeAll(async () => {
  h = await startMarketerConsole();
});
afterAll(() => h?.stop());

/** Replaces the CodeMirror document with `text` (typed as one insertion, like a paste). */
async function setEditorText(p: Page, text: string) {
  await p.locator('[data-testid=rules-editor] .cm-content').click();
  await p.keyboard.press('Control+A');
  await p.keyboard.press('Delete');
  await p.keyboard.insertText(text);
}

/** Chooses an option of a Mantine Select (a combobox with a listbox). */
async function pick(p: Page, label: string, option: string | RegExp) {
  await p.getByRole('combobox', { name: label, exact: true }).click();
  await p.getByRole('option', typeof option === 'string' ? { name: option, exact: true } : { name: option }).click();
}

test('a producer key is refused with a clear message', async () => {
  const p = await h.open(null);
  await p.getByLabel('API key').fill('test-producer-key-0001');
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.getByText('This is a producer key').waitFor();
  await h.screen(p, '00-producer-refused');
  await p.close();
});

test('a marketer creates a campaign through the wizard with 1,000 codes and a gold-only rule, watches the job, exports the codes', async () => {
  page = await h.open('marketer');
  await page.getByText('No campaigns yet').waitFor();
  await h.screen(page, '01-campaigns-empty');
  await page.getByRole('button', { name: 'New campaign' }).click();
  // Event: pick the existing schema; its text attribute becomes the code attribute.
  await pick(page, 'Event', /code_entered/);
  await h.screen(page, '02-wizard-event');
  await page.getByRole('button', { name: 'Next: Codes' }).click();

  // Codes: live keyspace feedback from the server, a refusal first, then a length that fits.
  await page.getByRole('textbox', { name: 'Length', exact: true }).fill('2');
  await page
    .getByTestId('keyspace')
    .getByText(/can't hold 1,000 codes safely; use at least/)
    .waitFor();
  await h.screen(page, '03-wizard-keyspace-refused');
  await page.getByRole('textbox', { name: 'Length', exact: true }).fill('8');
  await page.getByTestId('keyspace').getByText('Keyspace is fine').waitFor();
  await h.screen(page, '04-wizard-codes');
  // New inputs: the panel says it is checking until the answer for them arrives, never the old verdict, and
  // writes the share in words.
  const keyspace = page.getByTestId('keyspace');
  await page.getByRole('textbox', { name: 'Quantity', exact: true }).fill('300');
  await page.getByRole('textbox', { name: 'Length', exact: true }).fill('10');
  await keyspace.getByText('Checking the keyspace…').waitFor();
  expect(await keyspace.getByText('Keyspace is fine').count()).toBe(0);
  await keyspace
    .getByText(/^300 codes take about 1 in \d+ (trillion|quadrillion) of the [\d,]+ free combinations of 10 characters\.$/)
    .waitFor();
  await page.getByRole('textbox', { name: 'Quantity', exact: true }).fill('1000');
  await page.getByRole('textbox', { name: 'Length', exact: true }).fill('8');
  await keyspace
    .getByText(/^1,000 codes take about 1 in [\d,]+ (million|billion) of the [\d,]+ free combinations of 8 characters\.$/)
    .waitFor();
  await page.getByRole('button', { name: 'Next: Details' }).click();

  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Summer gold');
  await page.getByRole('textbox', { name: 'Campaign id', exact: true }).fill(CAMPAIGN);
  await pick(page, 'Status', 'active');
  await page.getByRole('button', { name: 'Next: Rules' }).click();

  // Rules: the starter rule is gold-only; the editor is CodeMirror with the API's JSON Schema.
  await page.locator('[data-testid=rules-editor] .cm-content').waitFor();
  await h.screen(page, '05-wizard-rules');
  await page.getByRole('button', { name: 'Next: Limits & budget' }).click();
  await page.getByRole('switch', { name: "Cap the campaign's budget" }).check({ force: true });
  await page.getByRole('button', { name: 'Next: Summary' }).click();
  await page.getByRole('table', { name: 'Summary' }).waitFor();
  await h.screen(page, '06-wizard-summary');

  // Nothing exists before the summary is confirmed.
  expect((await h.system.api.get(`/v1/campaigns/${CAMPAIGN}`).set(h.system.as('marketer'))).status).toBe(404);
  await page.getByRole('button', { name: 'Create campaign' }).click();

  await page.getByRole('heading', { name: /Summer gold/ }).waitFor();
  await page.getByText('1,000 of 1,000 codes').waitFor({ timeout: 60_000 });
  await page.getByRole('table', { name: 'Jobs' }).getByText('completed').waitFor();
  expect(await page.getByRole('link', { name: 'Open in Temporal' }).getAttribute('href')).toMatch(
    /^http:\/\/temporal-ui\.test\/namespaces\/default\/workflows\/generate-codes-/,
  );
  await h.screen(page, '07-campaign-dashboard-job-done');

  const campaign = (await h.system.api.get(`/v1/campaigns/${CAMPAIGN}`).set(h.system.as('marketer'))).body;
  expect(campaign.rules[0].conditions).toEqual({ all: [{ fact: 'member', path: '$.tier', operator: 'equal', value: 'gold' }] });
  expect(campaign.status).toBe('active');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export codes' }).click()]);
  const csv = fs
    .readFileSync((await download.path())!, 'utf8')
    .trim()
    .split('\n');
  expect(csv).toHaveLength(1001);
  expect(download.suggestedFilename()).toBe(`${CAMPAIGN}-codes.csv`);
});

test("a typo in the rule JSON shows the server's error on its line", async () => {
  await page.getByRole('tab', { name: 'Rules' }).click();
  const rules = JSON.stringify(
    [
      {
        name: 'gold',
        conditions: {
          all: [
            { fact: 'member', path: '$.tier', operator: 'equal', value: 'gold' },
            { fact: 'member', path: '$.balance', operator: 'greaterThen', value: 10 },
          ],
        },
        effects: [{ type: 'add_points', points: 100 }],
      },
    ],
    null,
    2,
  );
  await setEditorText(page, rules);
  await page.getByRole('button', { name: 'Save rules' }).click();
  const error = page.getByTestId('rules-server-error');
  await error.waitFor();
  const typoLine = rules.split('\n').findIndex((l) => l.includes('greaterThen')) + 1;
  expect(await error.textContent()).toContain(`Line ${typoLine}`);
  expect(await error.textContent()).toContain('rules.0.conditions.all.1.operator');
  expect(await page.locator('.server-error-line').textContent()).toContain('"operator": "greaterThen"');
  await h.screen(page, '08-rules-server-error');
});

test('events posted through the API show on the dashboard with the same numbers as /stats', async () => {
  const { rows } = await h.system.db.query(
    `select code from codes where pool_id = (select id from code_pools where kind = 'campaign' and owner_id = $1) order by code limit 3`,
    [CAMPAIGN],
  );
  expect((await postEvent(h.system, 'e-1', 'gold-1', rows[0].code)).body.outcome).toBe('redeemed');
  expect((await postEvent(h.system, 'e-2', 'silver-1', rows[1].code)).body.reason).toBe('conditions_not_met');
  expect((await postEvent(h.system, 'e-3', 'gold-1', rows[0].code)).body.outcome).toBe('rejected');
  const stats = (await h.system.api.get(`/v1/campaigns/${CAMPAIGN}/stats`).set(h.system.as('marketer'))).body;

  await page.getByRole('tab', { name: 'Dashboard' }).click();
  const cards = page.getByTestId('stats');
  await cards.getByText(`${stats.redemptions} redemptions`).waitFor();
  const text = (await cards.textContent())!;
  expect(text).toContain(`Redeemed${stats.codes.redeemed}`);
  expect(text).toContain(`Remaining${stats.codes.unused.toLocaleString('en-US')}`);
  expect(text).toContain(`Points issued${stats.pointsIssued}`);
  const byReason = page.getByRole('table', { name: 'Rejections by reason' });
  for (const [reason, n] of Object.entries(stats.rejections as Record<string, number>)) {
    expect(await byReason.getByRole('row', { name: new RegExp(reason) }).textContent()).toContain(String(n));
  }
  await page.getByRole('img', { name: /redeemed 1/ }).waitFor();
  await h.screen(page, '09-dashboard-with-events');
});

(simulateLanded ? test : test.skip)(
  'the simulator names the tier for a silver member and redeems for a gold one, changing nothing',
  async () => {
    const before = (
      await h.system.db.query(`select (select count(*) from redemption_events) as e, (select count(*) from point_transactions) as p`)
    ).rows[0];
    await page.getByRole('tab', { name: 'Try it' }).click();
    await page.getByRole('textbox', { name: 'Member id' }).fill('silver-1');
    await page.getByRole('button', { name: 'Simulate' }).click();
    const result = page.getByTestId('simulation-result');
    await result.getByText('conditions_not_met').waitFor();
    expect(await result.getByRole('table', { name: 'Failed conditions' }).textContent()).toContain('$.tier');
    expect(await result.textContent()).toContain('"silver"');
    await h.screen(page, '10-simulator-silver');
    await page.getByRole('textbox', { name: 'Member id' }).fill('gold-1');
    await page.getByRole('button', { name: 'Simulate' }).click();
    await result.getByText('redeemed', { exact: true }).waitFor();
    await h.screen(page, '11-simulator-gold');
    // What-if: a draft that lets silver members in too, replayed over the recorded events.
    await page.getByRole('switch', { name: 'Use a draft rule set instead of the saved rules' }).check({ force: true });
    await setEditorText(
      page,
      JSON.stringify(
        [
          {
            name: 'gold and silver',
            conditions: { all: [{ fact: 'member', path: '$.tier', operator: 'in', value: ['gold', 'silver'] }] },
            effects: [{ type: 'add_points', points: 100 }],
          },
        ],
        null,
        2,
      ),
    );
    await page.getByRole('button', { name: 'Replay' }).click();
    const replay = page.getByTestId('replay-result');
    await replay.getByText(/1 events would change, e\.g\. silver-1: rejected → redeemed/).waitFor();
    await h.screen(page, '11b-replay');
    const after = (
      await h.system.db.query(`select (select count(*) from redemption_events) as e, (select count(*) from point_transactions) as p`)
    ).rows[0];
    expect(after).toEqual(before);
  },
);

test('the campaigns list, rewards and members screens render (also at phone width)', async () => {
  await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
  await page.getByRole('table', { name: 'Campaigns' }).getByText('Summer gold').waitFor();
  await h.screen(page, '12-campaigns-list');
  await page.getByRole('link', { name: 'Members' }).click();
  await page.getByRole('textbox', { name: 'Member id' }).fill('gold-1');
  await page.getByRole('button', { name: 'Look up' }).click();
  await page.getByRole('table', { name: 'Points ledger' }).getByText('+100').waitFor();
  await h.screen(page, '13-member');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
  await page.getByText('Summer gold').first().waitFor();
  await page.waitForTimeout(400); // the menu's closing slide, for the picture only
  await h.screen(page, '14-phone-campaigns');
});

test('the side navigation is white down to the bottom of a long page', async () => {
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
  await page.getByRole('link', { name: 'Summer gold' }).click();
  await page.getByRole('tab', { name: 'Dashboard' }).click();
  await page.getByRole('table', { name: 'Jobs' }).waitFor();
  // A full-page capture lays out the whole document at once, as a long page scrolled to its end shows it.
  const png = PNG.sync.read(await page.screenshot({ fullPage: true }));
  expect(png.height).toBeGreaterThan(1100);
  const at = (x: number, y: number) => Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3));
  // Beside the last line of the page: the navbar's white, not the page's grey (#f6f7fb).
  expect(at(100, png.height - 5)).toEqual([255, 255, 255]);
});

test('every screen passes axe at phone width too', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${h.baseUrl}/console/campaigns/${CAMPAIGN}`);
  await page.getByRole('heading', { name: /Summer gold/ }).waitFor();
  await page.getByTestId('stats').waitFor();
  await h.screen(page, '15-phone-dashboard');
  await page.getByRole('tab', { name: 'Codes' }).click();
  await page.getByRole('table', { name: 'Codes' }).waitFor();
  await h.screen(page, '16-phone-codes');
  await page.getByRole('tab', { name: 'Rules' }).click();
  await page.locator('[data-testid=rules-editor] .cm-content').waitFor();
  await h.screen(page, '17-phone-rules');
  await page.goto(`${h.baseUrl}/console/campaigns/new`);
  await page.getByRole('combobox', { name: 'Event', exact: true }).waitFor();
  await h.screen(page, '18-phone-wizard');
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: 'Rewards' }).click();
  await page.getByRole('heading', { name: 'Rewards' }).waitFor();
  await h.screen(page, '19-phone-rewards');
});
