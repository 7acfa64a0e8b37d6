import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** The impacts a screen may not have: axe's `serious` and `critical` (minor and moderate are reported, not failed). */
const BLOCKING_IMPACTS = new Set(['serious', 'critical']);

/**
 * One line per failing rule and element, readable in a failed `expect` ("color-contrast (serious) on .x: …"),
 * so the failure says what to fix without opening a report.
 */
export function describeViolations(violations: Awaited<ReturnType<AxeBuilder['analyze']>>['violations']): string[] {
  return violations
    .filter((v) => BLOCKING_IMPACTS.has(v.impact ?? ''))
    .flatMap((v) =>
      v.nodes.map((n) => `${v.id} (${v.impact}) on ${n.target.join(' ')}: ${(n.failureSummary ?? v.help).replace(/\s+/g, ' ')}`),
    );
}

/**
 * Runs axe-core over the whole page as it is now (an open dialog included) and fails with the list of serious or
 * critical violations. No rule is disabled: the theme is fixed instead.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  expect({ screen, violations: describeViolations(results.violations) }).toEqual({ screen, violations: [] });
}
