import type { Page } from 'playwright-core';
import { startConsoleHarness, type ConsoleHarness } from '../support/browser';
import { addCodes, createCampaign, createCodeEventSchema } from '../support/campaign-setup';

/** An operator's flows: a CSV import with bad rows and its report, the jobs screen, a status import. */
let h: ConsoleHarness;
let page: Page;

beforeAll(async () => {
  h = await startConsoleHarness();
  await createCodeEventSchema(h.system);
  await createCampaign(h.system, 'spring-import', { name: 'Spring import' });
  await addCodes(h.system, 'spring-import', ['EXISTING0001']);
});
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
  await h.shot(page, '20-operator-import-report');

  // The codes table shows the imported codes; the operator may cancel one.
  await page.getByRole('textbox', { name: 'Search' }).fill('SPRING');
  await page.getByRole('table', { name: 'Codes' }).getByText('SPRING0004').waitFor();
  await h.shot(page, '21-codes-table');
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
  await h.shot(page, '22-jobs-and-status-import');
  expect((await h.system.api.get('/v1/codes/SPRING0001').set(h.system.as('operator'))).body.status).toBe('cancelled');
});
