import type { Page } from 'playwright-core';
import { startConsoleHarness, type ConsoleHarness } from '../support/browser';
import { addCodes, addMembers, createCampaign, createCodeEventSchema, postEvent } from '../support/campaign-setup';

/** An operator's flows: a CSV import with bad rows and its report, the jobs screen, a status import. */
let h: ConsoleHarness;
let page: Page;

beforeAll(async () => {
  h = await startConsoleHarness();
  await createCodeEventSchema(h.system);
  await createCampaign(h.system, 'spring-import', { name: 'Spring import' });
  await addCodes(h.system, 'spring-import', ['EXISTING0001', 'ROLLME0001']);
  await addMembers(h.system, ['member-7']);
  await createCampaign(h.system, 'spring-generated', { codes: { generate: { quantity: 20, length: 8, charset: 'alphanumeric' } } });
});

const codeRow = (p: Page, code: string) => p.getByRole('table', { name: 'Codes' }).getByRole('row').filter({ hasText: code });
afterAll(() => h?.stop());

test('an operator imports a CSV with bad rows and sees the row-by-row report', async () => {
  page = await h.open('operator', '/console/campaigns/spring-import');
  await page.getByRole('heading', { name: /Spring import/ }).waitFor();
  await page.getByRole('tab', { name: 'Codes' }).click();
  expect(await page.getByRole('link', { name: 'Download a sample CSV' }).getAttribute('download')).toBe('sample-codes.csv');
  const csv =
    [
      'code,expires_at',
      'SPRING0001,2027-01-31',
      'SPRING0002,',
      'BAD CODE!,',
      'SPRING0001,',
      'EXISTING0001,',
      'SPRING0003,not-a-date',
      'SPRING0004,2027-02-01',
    ].join('\n') + '\n';
  await page.locator('input[type=file]').setInputFiles({ name: 'spring.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const report = page.getByTestId('import-report');
  await report.getByText('completed').waitFor({ timeout: 60_000 });
  expect(await report.textContent()).toContain('7 rows · 3 imported · 4 refused');
  const refused = page.getByRole('table', { name: 'Refused rows' });
  for (const reason of ['bad_characters', 'duplicate_in_file', 'already_exists', 'bad_expires_at'])
    await refused.getByText(`(${reason})`).waitFor();
  await h.screen(page, '20-operator-import-report');

  // The codes table shows the imported codes; the operator may cancel one.
  await page.getByRole('textbox', { name: 'Search' }).fill('SPRING');
  await page.getByRole('table', { name: 'Codes' }).getByText('SPRING0004').waitFor();
  await h.screen(page, '21-codes-table');

  // Cancelling a code asks for the reason in the library's dialog, here by keyboard alone: Escape keeps the code,
  // Enter in the reason field cancels it.
  await codeRow(page, 'SPRING0004').getByRole('button', { name: 'Cancel' }).focus();
  await page.keyboard.press('Enter');
  const keep = page.getByRole('dialog', { name: 'Cancel code SPRING0004?' });
  await keep.waitFor();
  await page.keyboard.press('Escape');
  await keep.waitFor({ state: 'hidden' });
  expect(
    await codeRow(page, 'SPRING0004')
      .getByRole('button', { name: 'Cancel' })
      .evaluate((b) => b.matches(':focus')),
  ).toBe(true);
  expect((await h.system.api.get('/v1/codes/SPRING0004').set(h.system.as('operator'))).body.status).toBe('unused');

  await codeRow(page, 'SPRING0002').getByRole('button', { name: 'Cancel' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Cancel code SPRING0002?' });
  const reason = dialog.getByRole('textbox', { name: 'Reason' });
  await reason.waitFor();
  expect(await reason.evaluate((input) => input.matches(':focus'))).toBe(true);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('lost in the mail');
  await h.screen(page, '21b-cancel-code-dialog');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  await codeRow(page, 'SPRING0002').getByText('cancelled').waitFor();
  const cancelled = (await h.system.api.get('/v1/codes/SPRING0002').set(h.system.as('operator'))).body;
  expect(cancelled.status).toBe('cancelled');
  expect(JSON.stringify(cancelled)).toContain('lost in the mail');
});

test('the jobs screen lists the import with its progress, and a status import reports refused rows', async () => {
  await page.getByRole('link', { name: 'Jobs', exact: true }).click();
  const jobs = page.getByRole('table', { name: 'Jobs' });
  await jobs.getByText('3 imported, 4 refused of 7 rows').waitFor();
  await page.locator('input[type=file]').setInputFiles({
    name: 'status.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('code,status\nSPRING0001,cancelled\nNOSUCHCODE01,cancelled\n'),
  });
  await page.getByRole('button', { name: 'Apply' }).click();
  const report = page.getByTestId('status-import-report');
  await report.getByText(/2 rows · 1 changed/).waitFor();
  await page.getByRole('table', { name: 'Refused status rows' }).getByText('NOSUCHCODE01').waitFor();
  await h.screen(page, '22-jobs-and-status-import');
  expect((await h.system.api.get('/v1/codes/SPRING0001').set(h.system.as('operator'))).body.status).toBe('cancelled');

  // A generation batch is cancelled through a dialog that names it and asks for the reason.
  const generation = jobs.getByRole('row').filter({ hasText: 'Generation' });
  await generation.getByText('completed').waitFor({ timeout: 60_000 });
  await generation.getByRole('button', { name: 'Cancel batch' }).click();
  const dialog = page.getByRole('dialog', { name: /^Cancel batch / });
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('printed with a typo');
  await h.screen(page, '23-cancel-batch-dialog');
  await dialog.getByRole('button', { name: 'Cancel its unused codes' }).click();
  await generation.getByText('cancelled').waitFor();
  const batchId = (await h.system.db.query(`select id from code_batches where source = 'generation'`)).rows[0].id;
  expect((await h.system.api.get(`/v1/code-batches/${batchId}`).set(h.system.as('operator'))).body.status).toBe('cancelled');
});

test('an operator rolls a redemption back from the member ledger, through a dialog asking why', async () => {
  expect((await postEvent(h.system, 'roll-1', 'member-7', 'ROLLME0001')).body.outcome).toBe('redeemed');
  await page.getByRole('link', { name: 'Members', exact: true }).click();
  await page.getByRole('textbox', { name: 'Member id' }).fill('member-7');
  await page.getByRole('button', { name: 'Look up' }).click();
  const ledger = page.getByRole('table', { name: 'Points ledger' });
  await ledger.getByText('+10').waitFor();
  await ledger.getByRole('button', { name: 'Roll back' }).click();
  const dialog = page.getByRole('dialog', { name: 'Roll this redemption back?' });
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('entered by the support desk by mistake');
  await h.screen(page, '24-rollback-dialog');
  await dialog.getByRole('button', { name: 'Roll back' }).click();
  await ledger.getByText('−10').waitFor();
  expect(await ledger.getByRole('button', { name: 'Roll back' }).count()).toBe(0);
  expect((await h.system.api.get('/v1/codes/ROLLME0001').set(h.system.as('operator'))).body.status).toBe('unused');
  expect((await h.system.api.get('/v1/members/member-7').set(h.system.as('operator'))).body.balance).toBe(0);
});

test('an operator generates codes that expire, and finds the expired codes of a pool', async () => {
  const expiring = await h.open('operator', '/console/campaigns/spring-generated');
  await expiring.getByRole('tab', { name: 'Codes' }).click();
  await expiring.getByRole('button', { name: 'Generate more codes' }).click();
  const dialog = expiring.getByRole('dialog', { name: 'Generate more codes' });
  await dialog.getByRole('textbox', { name: 'Quantity', exact: true }).fill('5');
  await dialog.getByLabel('Codes expire at (optional)').fill('2030-06-01T12:00');
  await h.screen(expiring, '25-generate-with-expiry');
  await dialog.getByRole('button', { name: 'Start generating' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const pool = 'spring-generated';
  const withExpiry = async () =>
    (
      await h.system.db.query(
        `select expires_at from codes where pool_id = (select id from code_pools where kind = 'campaign' and owner_id = $1) and expires_at is not null`,
        [pool],
      )
    ).rows;
  for (let i = 0; i < 120 && (await withExpiry()).length < 5; i++) await new Promise((r) => setTimeout(r, 500));
  // The wall-clock time is read in the campaign's zone (UTC here), so the batch expires at that instant.
  expect((await withExpiry()).map((r) => (r.expires_at as Date).toISOString())).toEqual(Array(5).fill('2030-06-01T12:00:00.000Z'));

  // Two of the first batch's codes are made to have expired (a fixture: an API would refuse a past expiry).
  const past = (
    await h.system.db.query(
      `update codes set expires_at = now() - interval '1 hour'
        where code in (select code from codes where pool_id = (select id from code_pools where kind = 'campaign' and owner_id = $1) and expires_at is null order by code limit 2)
        returning code`,
      [pool],
    )
  ).rows.map((r) => r.code as string);
  await expiring.getByRole('combobox', { name: 'Expiry', exact: true }).click();
  await expiring.getByRole('option', { name: 'Expired', exact: true }).click();
  const table = expiring.getByRole('table', { name: 'Codes' });
  await table.getByText(past[0]).waitFor();
  await expect(table.getByRole('row').filter({ hasText: '(expired)' }).count()).resolves.toBe(2);
  for (const code of past) await codeRow(expiring, code).getByText('(expired)').waitFor();
  await h.screen(expiring, '26-expired-codes');
  await expiring.close();
});

test("an operator's screens and dialogs pass axe at phone width too", async () => {
  const phone = await h.open('operator', '/console/campaigns/spring-import');
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.getByRole('heading', { name: /Spring import/ }).waitFor();
  await phone.getByRole('tab', { name: 'Codes' }).click();
  await phone.getByRole('table', { name: 'Codes' }).waitFor();
  await h.screen(phone, '27-phone-operator-codes');
  await codeRow(phone, 'EXISTING0001').getByRole('button', { name: 'Cancel' }).click();
  const dialog = phone.getByRole('dialog', { name: 'Cancel code EXISTING0001?' });
  await dialog.waitFor();
  await h.screen(phone, '28-phone-cancel-dialog');
  await phone.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await phone.getByRole('button', { name: 'Menu' }).click();
  await phone.getByRole('link', { name: 'Jobs', exact: true }).click();
  await phone.getByRole('table', { name: 'Jobs' }).waitFor();
  await h.screen(phone, '29-phone-jobs');
  await phone.getByRole('button', { name: 'Menu' }).click();
  await phone.getByRole('link', { name: 'Members', exact: true }).click();
  await phone.getByRole('textbox', { name: 'Member id' }).fill('member-7');
  await phone.getByRole('button', { name: 'Look up' }).click();
  await phone.getByRole('table', { name: 'Points ledger' }).waitFor();
  await h.screen(phone, '30-phone-member');
  await phone.close();
});
