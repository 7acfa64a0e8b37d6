/** A row version as an ETag (strong: the version names one exact state of the row). */
export const etagOfVersion = (version: number) => `"${version}"`;

/**
 * The version an `If-Match` header names: undefined without the header or with `*` (any version will do).
 * Anything that isn't one of our ETags (weak or strong) can't match the current version: -1, so the change is
 * refused with 412 rather than applied unchecked. A list of ETags is not one of ours either.
 */
export function expectedVersion(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(header);
  return match ? Number(match[1]) : -1;
}
