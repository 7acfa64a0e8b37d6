import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** The shipped Grafana dashboard's PromQL expressions, each with the title of its panel. */
export function dashboardExpressions(): Array<{ panel: string; expr: string }> {
  const dashboard = JSON.parse(fs.readFileSync(path.join(root, 'ops/grafana/loyalty-codes-dashboard.json'), 'utf8')) as {
    panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
  };
  return dashboard.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: t.expr })));
}

/** Every metric name the shipped alert rules and the Grafana dashboard query (loyalty_… and temporal_…). */
export function opsMetricNames(): Set<string> {
  const text = [fs.readFileSync(path.join(root, 'ops/prometheus/alerts.yml'), 'utf8'), ...dashboardExpressions().map((e) => e.expr)].join(
    '\n',
  );
  return new Set(text.match(/\b(?:loyalty|temporal)_[a-z0-9_]+\b/g) ?? []);
}
