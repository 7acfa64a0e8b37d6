import type { ApiClient } from './http';

/**
 * Every item of a list, page by page: each page's `nextCursor` goes back as `cursor` until it is null (the API's
 * one paging convention), so the items come exactly once, in the list's order.
 */
export async function* allItems<T>(
  api: ApiClient,
  path: string,
  itemsField: string,
  query: Record<string, string | undefined> = {},
): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await api.json<Record<string, unknown> & { nextCursor: string | null }>(path, { query: { ...query, cursor } });
    yield* page[itemsField] as T[];
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
