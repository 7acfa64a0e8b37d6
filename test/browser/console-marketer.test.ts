import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { startConsoleHarness, type ConsoleHarness } from '../support/browser';
import { addMembers, createCodeEventSchema, postEvent } from '../support/campaign-setup';
import { buildOpenApiDocument } from '../../api/openapi';
import { describeRoutes } from '../../api/app';

/**
 * A marketer's main flows through the console in a real Chromium, against the real API, PostgreSQL and Temporal.
 * Screenshots land in test-artifacts/console/.
 */
let h: ConsoleHarness;
let page: Page;
const CAMPAIGN = 'summer-gold';

// The dry-run endpoint is another branch's work: the scenario runs once the API describes it.
const simulateLanded = Boolean((buildOpenApiDocument(describeRoutes).paths as Record<string, unknown>)['/v1/campaigns/{id}/simulate']);

beforeAll(async () => {
  h = await startConsoleHarness();
  await createCodeEventSchema(h.system);
  await addMembers(h.system, ['gold-1'], { tier: 'gold' });
  await addMembers(h.system, ['silver-1'], { tier: 'silver' });
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
  await h.shot(p, '00-producer-refused');
  await p.close();
});

test('a marketer creates a campaign through the wizard with 1,000 codes and a gold-only rule, watches the job, exports the codes', async () => {
  page = await h.open('marketer');
  await page.getByText('No campaigns yet').waitFor();
  await h.shot(page, '01-campaigns-empty');
  await page.getByRole('button', { name: 'New campaign' }).click();
  // Event: pick the existing schema; its text attribute becomes the code attribute.
  await pick(page, 'Event', /code_entered/);
  await h.shot(page, '02-wizard-event');
  await page.getByRole('button', { name: 'Next: Codes' }).click();

  // Codes: live keyspace feedback from the server, a refusal first, then a length that fits.
  await page.getByRole('textbox', { name: 'Length', exact: true }).fill('2');
  await page
    .getByTestId('keyspace')
    .getByText(/can't hold 1,000 codes safely; use at least/)
    .waitFor();
  await h.shot(page, '03-wizard-keyspace-refused');
  await page.getByRole('textbox', { name: 'Length', exact: true }).fill('8');
  await page.getByTestId('keyspace').getByText('Keyspace is fine').waitFor();
  await h.shot(page, '04-wizard-codes');
  await page.getByRole('button', { name: 'Next: Details' }).click();

  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Summer gold');
  await page.getByRole('textbox', { name: 'Campaign id', exact: true }).fill(CAMPAIGN);
  await pick(page, 'Status', 'active');
  await page.getByRole('button', { name: 'Next: Rules' }).click();

  // Rules: the starter rule is gold-only; the editor is CodeMirror with the API's JSON Schema.
  await page.locator('[data-testid=rules-editor] .cm-content').waitFor();
  await h.shot(page, '05-wizard-rules');
  await page.getByRole('button', { name: 'Next: Limits & budget' }).click();
  await page.getByRole('switch', { name: "Cap the campaign's budget" }).check({ force: true });
  await page.getByRole('button', { name: 'Next: Summary' }).click();
  await page.getByRole('table', { name: 'Summary' }).waitFor();
  await h.shot(page, '06-wizard-summary');

  // Nothing exists before the summary is confirmed.
  expect((await h.system.api.get(`/v1/campaigns/${CAMPAIGN}`).set(h.system.as('marketer'))).status).toBe(404);
  await page.getByRole('button', { name: 'Create campaign' }).click();

  await page.getByRole('heading', { name: /Summer gold/ }).waitFor();
  await page.getByText('1,000 of 1,000 codes').waitFor({ timeout: 60_000 });
  await page.getByRole('table', { name: 'Jobs' }).getByText('completed').waitFor();
  expect(await page.getByRole('link', { name: 'Open in Temporal' }).getAttribute('href')).toMatch(
    /^http:\/\/temporal-ui\.test\/namespaces\/default\/workflows\/generate-codes-/,
  );
  await h.shot(page, '07-campaign-dashboard-job-done');

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
  await h.shot(page, '08-rules-server-error');
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
  await h.shot(page, '09-dashboard-with-events');
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
    await h.shot(page, '10-simulator-silver');
    await page.getByRole('textbox', { name: 'Member id' }).fill('gold-1');
    await page.getByRole('button', { name: 'Simulate' }).click();
    await result.getByText('redeemed', { exact: true }).waitFor();
    await h.shot(page, '11-simulator-gold');
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
    await h.shot(page, '11b-replay');
    const after = (
      await h.system.db.query(`select (select count(*) from redemption_events) as e, (select count(*) from point_transactions) as p`)
    ).rows[0];
    expect(after).toEqual(before);
  },
);

test('the campaigns list, rewards and members screens render (also at phone width)', async () => {
  await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
  await page.getByRole('table', { name: 'Campaigns' }).getByText('Summer gold').waitFor();
  await h.shot(page, '12-campaigns-list');
  await page.getByRole('link', { name: 'Members' }).click();
  await page.getByRole('textbox', { name: 'Member id' }).fill('gold-1');
  await page.getByRole('button', { name: 'Look up' }).click();
  await page.getByRole('table', { name: 'Points ledger' }).getByText('+100').waitFor();
  await h.shot(page, '13-member');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
  await page.getByText('Summer gold').first().waitFor();
  await page.waitForTimeout(400); // the menu's closing slide, for the picture only
  await h.shot(page, '14-phone-campaigns');
});
