import { DomainError } from '../model/errors';

export interface NotFound {
  /** Stable machine code, e.g. `campaign_not_found`. */
  code: string;
  message: string;
  field: string;
}

/**
 * Loads a record or refuses with `not_found`. `id` is the id once validated: an id no record could have
 * (undefined) is simply not found, never looked up.
 */
export async function loadOrNotFound<Id, T>(
  id: Id | undefined,
  find: (id: Id) => Promise<T | null | undefined>,
  notFound: NotFound,
): Promise<T> {
  const found = id === undefined ? undefined : await find(id);
  if (found === null || found === undefined) throw new DomainError('not_found', notFound.code, notFound.message, notFound.field);
  return found;
}
