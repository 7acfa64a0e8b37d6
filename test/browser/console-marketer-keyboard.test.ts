import type { Locator, Page } from 'playwright-core';
import type { ConsoleHarness } from '../support/browser';
import { startMarketerConsole } from '../support/marketer-console';

/**
 * A marketer's wizard by keyboard alone, in a real Chromium, against the real API, PostgreSQL and Temporal. The
 * same flow by mouse: console-marketer.test.ts.
 */
let h: ConsoleHarness;

beforeAll(async () => {
  h = await startMarketerConsole();
});
afterAll(() => h?.stop());

/**
 * Moves the focus with Tab alone until `target` has it, proving it is reachable by keyboard. In the rules editor
 * Tab indents, so it leaves the editor the way CodeMirror documents: Escape, then Tab.
 */
async function tabTo(p: Page, target: Locator, presses = 80) {
  for (let i = 0; i < presses; i++) {
    if (await target.evaluate((el) => el.matches(':focus, :focus-within'))) return;
    if (await p.locator('.cm-editor:focus-within').count()) await p.keyboard.press('Escape');
    await p.keyboard.press('Tab');
  }
  throw new Error(`${target} is not reachable with Tab`);
}

/** Chooses the option starting with `option` of a Mantine Select by keyboard: Tab to it, arrows to it, Enter. */
async function chooseByKeyboard(p: Page, label: string, option: string) {
  const box = p.getByRole('combobox', { name: label, exact: true });
  await tabTo(p, box);
  await p.keyboard.press('ArrowDown');
  const listbox = p.getByRole('listbox');
  await listbox.waitFor();
  const hovered = () =>
    listbox
      .locator('[data-combobox-selected]')
      .textContent({ timeout: 1000 })
      .catch(() => '');
  for (let i = 0; i < 20 && !(await hovered())?.startsWith(option); i++) await p.keyboard.press('ArrowDown');
  await p.keyboard.press('Enter');
  expect(await box.inputValue()).toMatch(new RegExp(`^${option}`));
}

test('a marketer creates a campaign with the keyboard alone, through every wizard step', async () => {
  const p = await h.open('marketer');
  await tabTo(p, p.getByRole('button', { name: 'New campaign' }));
  await p.keyboard.press('Enter');
  await chooseByKeyboard(p, 'Event', 'code_entered');
  await tabTo(p, p.getByRole('button', { name: 'Next: Codes' }));
  await p.keyboard.press('Enter');
  await tabTo(p, p.getByRole('switch', { name: 'Generate codes now' }));
  await p.keyboard.press('Space'); // codes can come later; this test is about the keyboard
  await tabTo(p, p.getByRole('button', { name: 'Next: Details' }));
  await p.keyboard.press('Enter');
  await tabTo(p, p.getByRole('textbox', { name: 'Name', exact: true }));
  await p.keyboard.type('Keyboard only');
  await chooseByKeyboard(p, 'Status', 'active');
  await tabTo(p, p.getByRole('button', { name: 'Next: Rules' }));
  await p.keyboard.press('Enter');
  await p.locator('[data-testid=rules-editor] .cm-content').waitFor();
  await tabTo(p, p.getByRole('button', { name: 'Next: Limits & budget' }));
  await p.keyboard.press('Enter');
  await tabTo(p, p.getByRole('switch', { name: "Cap the campaign's budget" }));
  await p.keyboard.press('Space');
  await tabTo(p, p.getByRole('button', { name: 'Next: Summary' }));
  await p.keyboard.press('Enter');
  await p.getByRole('table', { name: 'Summary' }).waitFor();
  await tabTo(p, p.getByRole('button', { name: 'Create campaign' }));
  await p.keyboard.press('Enter');
  await p.getByRole('heading', { name: /Keyboard only/ }).waitFor();
  const created = (await h.system.api.get('/v1/campaigns/keyboard-only').set(h.system.as('marketer'))).body;
  expect(created).toMatchObject({ name: 'Keyboard only', status: 'active', budget: { kind: 'points' } });
  await p.close();
});
