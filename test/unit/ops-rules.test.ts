import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../runtime/config';
import { promtoolPath } from '../../runtime/promtool';
import { dashboardExpressions, opsMetricNames } from '../support/ops-metrics';

/**
 * The shipped alert rules and dashboard, checked by the real tool: `promtool check rules` and `promtool test rules`
 * (ops/prometheus/alerts.test.yml has a test per alert), and every dashboard query parsed by promtool too. promtool is built by `npm run setup` (.ci/run runs it).
 * That every metric they use exists in a real scrape is proved in test/integration/metrics.test.ts.
 */
const root = path.resolve(__dirname, '../..');
const rules = path.join(root, 'ops/prometheus/alerts.yml');
const promtool = promtoolPath(loadConfig().toolsDir);

function run(...args: string[]): string {
  if (!fs.existsSync(promtool)) throw new Error(`${promtool} is missing: run \`npm run setup\`, which builds it`);
  return execFileSync(promtool, args, { cwd: path.dirname(rules), encoding: 'utf8' });
}

it('promtool accepts the rules', () => {
  expect(run('check', 'rules', rules)).toMatch(/SUCCESS: \d+ rules found/);
});

it('promtool runs every alert unit test and they pass', () => {
  expect(run('test', 'rules', 'alerts.test.yml')).toContain('SUCCESS');
});

it('every alert has a unit test that expects it to fire, a runbook link and a section in docs/operations.md', () => {
  const alerts = (
    parse(fs.readFileSync(rules, 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; annotations: { runbook: string } }> }> }
  ).groups.flatMap((g) => g.rules);
  const tests = parse(fs.readFileSync(path.join(root, 'ops/prometheus/alerts.test.yml'), 'utf8')) as {
    tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
  };
  const fired = new Set(tests.tests.flatMap((t) => t.alert_rule_test.filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname)));
  const operations = fs.readFileSync(path.join(root, 'docs/operations.md'), 'utf8').toLowerCase();
  expect(alerts.length).toBeGreaterThanOrEqual(8);
  for (const alert of alerts) {
    expect([alert.alert, fired.has(alert.alert)]).toEqual([alert.alert, true]);
    const anchor = /#([a-z0-9-]+)$/.exec(alert.annotations.runbook)?.[1];
    expect([alert.alert, operations.includes(`### ${anchor}`)]).toEqual([alert.alert, true]);
  }
});

it('the dashboard is Grafana JSON whose every panel queries known metrics', () => {
  const dashboard = JSON.parse(fs.readFileSync(path.join(root, 'ops/grafana/loyalty-codes-dashboard.json'), 'utf8')) as {
    panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
  };
  expect(dashboard.panels.length).toBeGreaterThan(0);
  for (const panel of dashboard.panels) expect([panel.title, panel.targets.length > 0]).toEqual([panel.title, true]);
  expect(opsMetricNames().size).toBeGreaterThan(10);
});

it("promtool parses every query of the dashboard (written as recording rules, which it checks like the alerts')", () => {
  const expressions = dashboardExpressions();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-rules-'));
  try {
    const file = path.join(dir, 'dashboard.rules.yml');
    // Each named after its panel, so promtool's complaint says which panel's query it could not parse.
    const records = expressions.map(({ panel, expr }, i) => ({
      record: `dashboard:${panel.toLowerCase().replace(/[^a-z0-9]+/g, '_')}:${i}`,
      expr,
    }));
    fs.writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules: records }] }));
    expect(run('check', 'rules', file)).toContain(`SUCCESS: ${expressions.length} rules found`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
