/** Prometheus exposition text read with a real parser (parse-prometheus-text-format), for metric assertions. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the package ships no types
const parse = require('parse-prometheus-text-format') as (text: string) => MetricFamily[];

export interface MetricFamily {
  name: string;
  type: string;
  metrics: Array<{ labels?: Record<string, string>; value?: string; count?: string; sum?: string; buckets?: Record<string, string> }>;
}

export function parseMetrics(text: string): MetricFamily[] {
  return parse(text);
}

/**
 * The sum over the series of `name` whose labels include `labels` (a counter's or gauge's value, a histogram's
 * count); 0 when there is none yet.
 */
export function metricValue(families: MetricFamily[], name: string, labels: Record<string, string> = {}): number {
  const family = families.find((f) => f.name === name);
  if (!family) return 0;
  return family.metrics
    .filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
    .reduce((sum, m) => sum + Number(m.value ?? m.count ?? m.buckets?.['+Inf'] ?? 0), 0);
}

/** Every series name a scrape exposes, histogram and summary parts (`_bucket`, `_sum`, `_count`) included. */
export function seriesNames(families: MetricFamily[]): Set<string> {
  const names = new Set<string>();
  for (const f of families) {
    names.add(f.name);
    if (f.type === 'HISTOGRAM' || f.type === 'SUMMARY') for (const part of ['_bucket', '_sum', '_count']) names.add(f.name + part);
  }
  return names;
}
