import { campaignLabel, MAX_CAMPAIGN_LABELS, statusClass } from '../../observability/metrics';

describe('statusClass', () => {
  it.each([
    [200, '2xx'],
    [201, '2xx'],
    [304, '3xx'],
    [404, '4xx'],
    [429, '4xx'],
    [500, '5xx'],
    [503, '5xx'],
  ])('%i is %s', (status, label) => expect(statusClass(status)).toBe(label));
});

describe('campaignLabel keeps the label set bounded', () => {
  it.each([
    [null, ''],
    [undefined, ''],
    ['', ''],
  ])('no campaign (%p) is the empty label', (id, label) => expect(campaignLabel(id, new Set())).toBe(label));

  it(`names the first ${MAX_CAMPAIGN_LABELS} campaigns seen, counts every later one as "other", and keeps naming those it named`, () => {
    const seen = new Set<string>();
    const first = Array.from({ length: MAX_CAMPAIGN_LABELS }, (_, i) => `c${i}`);
    expect(first.map((id) => campaignLabel(id, seen))).toEqual(first);
    expect(campaignLabel('late-1', seen)).toBe('other');
    expect(campaignLabel('late-2', seen)).toBe('other');
    expect(campaignLabel('c0', seen)).toBe('c0');
    expect(campaignLabel(first[MAX_CAMPAIGN_LABELS - 1], seen)).toBe(first[MAX_CAMPAIGN_LABELS - 1]);
    expect(seen.size).toBe(MAX_CAMPAIGN_LABELS);
  });
});
