/**
 * The share of a keyspace a batch takes, in words a marketer reads ("about 1 in 8 million") instead of a
 * percentage in scientific notation ("1.2e-7%"). Pure, so it is unit-tested apart from the screen.
 */
const SCALES: Array<[number, string]> = [
  [1e3, 'thousand'],
  [1e6, 'million'],
  [1e9, 'billion'],
  [1e12, 'trillion'],
  [1e15, 'quadrillion'],
  [1e18, 'quintillion'],
];

/** "about 1 in 8 million" for `part` codes out of `whole` combinations (`whole` may be far beyond 2^53). */
export function shareInWords(part: number, whole: bigint): string {
  if (part <= 0) return 'none of them';
  if (BigInt(Math.ceil(part)) >= whole) return 'all of them';
  // Only the order of magnitude matters to the reader, so floating point is precise enough here.
  const ratio = Number(whole) / part;
  if (ratio < 1.05) return 'nearly all of them';
  if (ratio < 10) return `about 1 in ${Math.round(ratio * 10) / 10}`;
  if (ratio < 999.5) return `about 1 in ${Math.round(ratio)}`;
  for (const [i, [scale, word]] of SCALES.entries()) {
    const value = ratio / scale;
    // 999.7 thousand reads "1 million", not "1,000 thousand".
    if (value >= 999.5 && i < SCALES.length - 1) continue;
    // Past a thousand quintillion the number stops meaning anything to a reader.
    if (value >= 999.5) return 'less than 1 in 1,000 quintillion';
    return `about 1 in ${Math.round(value).toLocaleString('en-US')} ${word}`;
  }
  throw new Error('unreachable: the last scale always answers');
}
