/**
 * Keyspace rule (§1): a request may use at most 1% of the combinations still free for its shape, so random
 * draws rarely collide and a guessed code rarely exists.
 */
export const MAX_KEYSPACE_SHARE = 0.01;
const SHARE_DIVISOR = BigInt(Math.round(1 / MAX_KEYSPACE_SHARE));

export function combinations(alphabetSize: number, length: number): bigint {
  return BigInt(alphabetSize) ** BigInt(length);
}

export interface KeyspaceVerdict {
  ok: boolean;
  combinations: bigint;
  left: bigint;
  /** Smallest random length whose keyspace would accept the request. */
  minimumLength: number;
}

/** `used` is how many codes of the same shape already exist. */
export function checkKeyspace(alphabetSize: number, length: number, quantity: number, used: number): KeyspaceVerdict {
  const total = combinations(alphabetSize, length);
  const left = total - BigInt(used);
  const fits = (free: bigint) => BigInt(quantity) * SHARE_DIVISOR <= free;
  let minimumLength = 1;
  // Codes of other lengths are a different shape, so only the requested length has `used` codes against it.
  while (!fits(combinations(alphabetSize, minimumLength) - (minimumLength === length ? BigInt(used) : 0n))) {
    minimumLength++;
  }
  return { ok: fits(left), combinations: total, left: left < 0n ? 0n : left, minimumLength };
}

export function keyspaceMessage(alphabetSize: number, length: number, quantity: number, verdict: KeyspaceVerdict): string {
  return (
    `keyspace too small: ${quantity} codes of ${length} random characters from an alphabet of ${alphabetSize} ` +
    `would use more than 1% of the ${verdict.left} combinations left for this prefix/length/charset; ` +
    `use a length of at least ${verdict.minimumLength}`
  );
}
