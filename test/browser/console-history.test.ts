import { startConsoleHarness, type ConsoleHarness } from '../support/browser';
import { anyoneRule, createCampaign, createCodeEventSchema } from '../support/campaign-setup';

/**
 * Issue 24 in the console: a campaign's History tab shows who changed what with each change's diff, and its
 * Versions tab compares two rule versions and restores an old one behind the confirm dialog. Every screen passes
 * axe; the harness fails the file on any Content-Security-Policy violation.
 */
let h: ConsoleHarness;
const goldOnly = {
  name: 'gold only',
  conditions: { all: [{ fact: 'member', path: '$.tier', operator: 'in', value: ['gold'] }] },
  effects: [{ type: 'add_points', points: 50 }],
};

beforeAll(async () => {
  h = await startConsoleHarness();
  await createCodeEventSchema(h.system);
  await createCampaign(h.system, 'versioned', { rules: [goldOnly] });
  const patched = await h.system.api
    .patch('/v1/campaigns/versioned')
    .set(h.system.as('marketer'))
    .send({ rules: [anyoneRule] });
  expect(patched.body.rulesVersion).toBe(2);
});
afterAll(() => h?.stop());

test('a marketer reads the diff of a rule change, compares versions and restores the old rules', async () => {
  const p = await h.open('marketer', '/console/campaigns/versioned');

  await p.getByRole('tab', { name: 'History' }).click();
  const history = p.getByRole('table', { name: 'History' });
  const change = history.getByRole('row').filter({ hasText: 'Changed' });
  await change.getByText('rules.0.name').waitFor();
  await change.locator('del', { hasText: 'gold only' }).waitFor();
  await change.locator('ins', { hasText: 'anyone' }).waitFor();
  await history.getByRole('row').filter({ hasText: 'Created' }).waitFor();
  await h.screen(p, '60-campaign-history');

  await p.getByRole('tab', { name: 'Versions' }).click();
  const versions = p.getByRole('table', { name: 'Rule versions' });
  await versions.getByRole('row').filter({ hasText: 'Version 2' }).getByText('in force').waitFor();
  const comparison = p.getByRole('list', { name: 'Changes from version 1 to version 2' });
  await comparison.locator('ins', { hasText: 'anyone' }).waitFor();
  await h.screen(p, '61-campaign-versions');

  await versions.getByRole('button', { name: 'Restore version 1' }).click();
  const dialog = p.getByRole('dialog', { name: 'Restore version 1?' });
  await dialog.waitFor();
  await p.waitForTimeout(400); // the modal's opening transition, for a clean screenshot
  await h.screen(p, '62-restore-confirm');
  await dialog.getByRole('button', { name: 'Restore' }).click();
  await p.getByRole('status').filter({ hasText: 'Restored as version 3' }).waitFor();
  await versions.getByRole('row').filter({ hasText: 'Version 3' }).getByText('in force').waitFor();

  const campaign = (await h.system.api.get('/v1/campaigns/versioned').set(h.system.as('marketer'))).body;
  expect(campaign).toMatchObject({ rulesVersion: 3, rules: [goldOnly] });

  await p.getByRole('tab', { name: 'History' }).click();
  await history.getByRole('row').filter({ hasText: 'Restored rules' }).getByText('version 1 as version 3').waitFor();
  await h.screen(p, '63-history-after-restore');
  await p.close();
});
