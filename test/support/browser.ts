import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Role } from '../../model/roles';
import { expectAccessible } from './accessibility';
import { startTestSystem, KEYS, type TestSystem, type TestSystemOptions } from './test-system';

/** Debian's chromium (`.ci/run` installs it): Playwright can't download its own browsers here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'console');

export interface ConsoleHarness {
  system: TestSystem;
  baseUrl: string;
  context: BrowserContext;
  /** A fresh tab (own sessionStorage), signed in with the role's key unless `role` is null. */
  open(role: Role | null, at?: string): Promise<Page>;
  /** What Chromium refused under the console's Content-Security-Policy so far (stop() fails the file on any). */
  cspViolations: string[];
  /**
   * Checks the screen as it is now with axe-core (no serious or critical violation, an open dialog included), then
   * saves a screenshot into test-artifacts/console/<name>.png (ignored by git).
   */
  screen(page: Page, name: string): Promise<void>;
  stop(): Promise<void>;
}

/** The real system behind a listening API, and one headless Chromium for the whole test file. */
export async function startConsoleHarness(options: TestSystemOptions = {}): Promise<ConsoleHarness> {
  const system = await startTestSystem({ ...options, env: { TEMPORAL_UI_URL: 'http://temporal-ui.test', ...options.env } });
  const server: Server = await new Promise((resolve) => {
    const s = system.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'console-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
    // The console honours reduced motion (no dialog transitions), so axe never reads a dialog half faded in.
    reducedMotion: 'reduce',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const cspViolations: string[] = [];
  return {
    system,
    baseUrl,
    context,
    cspViolations,
    async open(role, at = '/console/') {
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      // Errors inside the page would otherwise only show as a timeout.
      page.on('pageerror', (error) => process.stderr.write(`[browser] ${error.stack ?? error.message}\n`));
      // The console must work under its policy (no unsafe-inline): Chromium reports each refusal on the console.
      page.on('console', (message) => {
        if (message.type() === 'error' && message.text().includes('Content Security Policy')) {
          const at = message.location();
          cspViolations.push(`${page.url()} (${at.url}:${at.lineNumber}): ${message.text()}`);
        }
      });
      await page.goto(baseUrl + at);
      if (role) {
        await page.getByLabel('API key').fill(KEYS[role]);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByLabel(`Signed in as ${role}`).waitFor();
      }
      return page;
    },
    async screen(page, name) {
      // A dialog fading in has mid-transition colours that axe would read as low contrast: let transitions end
      // (endless ones, a running job's striped progress bar or a loader, are left alone).
      await page.evaluate(
        'Promise.all(document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined)))',
      );
      await expectAccessible(page, name);
      await page.evaluate('window.scrollTo(0, 0)'); // a full-page capture of a scrolled page repeats the header
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
    async stop() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
      await new Promise((resolve) => server.close(resolve));
      await system.stop();
      if (cspViolations.length > 0) throw new Error(`the console broke its Content-Security-Policy:\n${cspViolations.join('\n')}`);
    },
  };
}
