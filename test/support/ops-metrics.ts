import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** Every metric name the shipped alert rules and the Grafana dashboard query (loyalty_… and temporal_…). */
export function opsMetricNames(): Set<string> {
  const text = [
    fs.readFileSync(path.join(root, 'ops/prometheus/alerts.yml'), 'utf8'),
    ...(
      JSON.parse(fs.readFileSync(path.join(root, 'ops/grafana/loyalty-codes-dashboard.json'), 'utf8')) as {
        panels: Array<{ targets: Array<{ expr: string }> }>;
      }
    ).panels.flatMap((p) => p.targets.map((t) => t.expr)),
  ].join('\n');
  return new Set(text.match(/\b(?:loyalty|temporal)_[a-z0-9_]+\b/g) ?? []);
}
