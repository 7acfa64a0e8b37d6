import { etagOfVersion, expectedVersion } from '../../api/if-match';

it.each([
  [undefined, undefined],
  ['*', undefined],
  [' * ', undefined],
  ['"7"', 7],
  ['W/"7"', 7],
  [' "12" ', 12],
  [etagOfVersion(42), 42],
  ['7', -1],
  ['"seven"', -1],
  ['"7", "8"', -1],
  ['"1234567890123456"', -1],
  ['', -1],
])('If-Match %p names version %p', (header, version) => {
  expect(expectedVersion(header)).toBe(version);
});
