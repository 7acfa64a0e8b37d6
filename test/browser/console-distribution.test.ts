import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { startConsoleHarness, type ConsoleHarness } from '../support/browser';
import { addCodes, addMembers, createCampaign, createCodeEventSchema } from '../support/campaign-setup';

/**
 * A marketer sends codes to members from the console (issue 24): a filtered audience previewed against the pool's
 * unused codes, started, followed to the end, its member_id,code CSV downloaded (the same codes the API lists per
 * member), then a second one cancelled behind its dialog. Screenshots land in test-artifacts/console/.
 */
let h: ConsoleHarness;
let page: Page;
const CAMPAIGN = 'send-gold';
const GOLD = ['gold-a', 'gold-b', 'gold-c'];

beforeAll(async () => {
  h = await startConsoleHarness({ env: { CODE_CHUNK_SIZE: '2' } }); // two chunks for three members
  await createCodeEventSchema(h.system);
  await createCampaign(h.system, CAMPAIGN);
  await addCodes(
    h.system,
    CAMPAIGN,
    Array.from({ length: 5 }, (_, i) => `SENDGOLD${i}`),
  );
  await addMembers(h.system, GOLD, { tier: 'gold', segments: ['vip'] });
  await addMembers(h.system, ['gold-not-vip'], { tier: 'gold' });
  await addMembers(h.system, ['silver-a', 'silver-b', 'silver-c'], { tier: 'silver', segments: ['vip'] });
});
afterAll(() => h?.stop());

const stat = (label: string) => page.getByTestId('distribution-preview').getByText(label).locator('..');

test('a marketer previews a filtered audience, sends it codes, watches it finish and downloads the member_id,code CSV', async () => {
  page = await h.open('marketer', `/console/campaigns/${CAMPAIGN}`);
  await page.getByRole('tab', { name: 'Send to members' }).click();
  // Every member first: 7 members for 5 unused codes, and this pool was never generated, so no top-up.
  await stat('Members in the audience').getByText('7', { exact: true }).waitFor();
  await page.getByText("can't be topped up").waitFor();
  expect(await page.getByRole('button', { name: /^Send codes/ }).isDisabled()).toBe(true);

  await page.getByLabel('Tier').fill('gold');
  await page.getByRole('combobox', { name: 'Segments (all of)' }).fill('vip');
  await page.keyboard.press('Enter');
  await stat('Members in the audience').getByText('3', { exact: true }).waitFor();
  await stat('Unused codes in the pool').getByText('5', { exact: true }).waitFor();
  await stat('Short by').getByText('enough codes').waitFor();
  await h.screen(page, '40-send-codes-preview');

  await page.getByRole('button', { name: 'Send codes to 3 members' }).click();
  const progress = page.getByTestId('distribution-progress');
  await progress.getByText('completed', { exact: true }).waitFor({ timeout: 60_000 });
  await progress.getByText('of 3 members have their code').waitFor();
  expect(await progress.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
  await h.screen(page, '41-send-codes-completed');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    progress.getByRole('button', { name: 'Download member_id,code CSV' }).click(),
  ]);
  const [header, ...lines] = fs
    .readFileSync((await download.path())!, 'utf8')
    .trim()
    .split('\n');
  expect(header).toBe('member_id,code');
  const rows = lines.map((line) => line.split(','));
  expect(rows.map(([member]) => member).sort()).toEqual(GOLD);
  for (const [member, code] of rows) {
    const listed = await h.system.api.get(`/v1/members/${member}/codes`).set(h.system.as('marketer'));
    expect(listed.body.codes.map((c: { code: string }) => c.code)).toEqual([code]);
  }
  // The pool's unused codes went down by the three given out.
  await stat('Unused codes in the pool').getByText('2', { exact: true }).waitFor();
});

test('a distribution is cancelled only through its dialog, and its codes go back to the pool', async () => {
  // Silver VIPs are 3 members for the 2 codes left, and no top-up is possible: nothing can start.
  await page.getByLabel('Tier').fill('silver');
  await stat('Short by').getByText('1', { exact: true }).waitFor();
  expect(await page.getByRole('button', { name: 'Send codes to 3 members' }).isDisabled()).toBe(true);

  const first = page.getByTestId('distribution-progress');
  await first.getByRole('button', { name: 'Cancel distribution' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('goes back to the pool').waitFor();
  await h.screen(page, '42-send-codes-cancel-dialog');
  await dialog.getByRole('button', { name: 'Keep' }).click();
  await dialog.waitFor({ state: 'detached' });
  expect(await first.getByText('completed', { exact: true }).count()).toBe(1);

  await first.getByRole('button', { name: 'Cancel distribution' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel and return its codes' }).click();
  await first.getByText('3 codes not yet redeemed went back to the pool').waitFor();
  for (const member of GOLD) {
    const codes = await h.system.api.get(`/v1/members/${member}/codes`).set(h.system.as('marketer'));
    expect(codes.body.codes).toEqual([]);
  }
  // The codes are back: the silver audience fits now.
  await stat('Unused codes in the pool').getByText('5', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Send codes to 3 members' }).and(page.locator(':enabled')).waitFor();
  await page.close();
});
