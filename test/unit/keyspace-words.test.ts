import { shareInWords } from '../../console/src/pages/wizard/keyspace-words';

// The wizard's keyspace panel: the share a batch takes of the free combinations, in words.
test.each([
  // part, whole, words
  [1000, 8_300_000_000n, 'about 1 in 8 million'],
  [1000, 2_821_109_907_456n, 'about 1 in 3 billion'],
  [1000, 3_656_158_440_062_976n, 'about 1 in 4 trillion'],
  [300, 36n ** 10n, 'about 1 in 12 trillion'],
  [1, 999_700n, 'about 1 in 1 million'],
  [1, 600_000n, 'about 1 in 600 thousand'],
  [1, 1_000n, 'about 1 in 1 thousand'],
  [1, 600n, 'about 1 in 600'],
  [2, 7n, 'about 1 in 3.5'],
  [1, 10n, 'about 1 in 10'],
  [100, 101n, 'nearly all of them'],
  [100, 100n, 'all of them'],
  [101, 100n, 'all of them'],
  [0, 100n, 'none of them'],
  [1, 5n * 10n ** 20n, 'about 1 in 500 quintillion'],
  [1, 36n ** 64n, 'less than 1 in 1,000 quintillion'],
])('%d codes of %d combinations: %s', (part, whole, words) => {
  expect(shareInWords(part, whole)).toBe(words);
});
