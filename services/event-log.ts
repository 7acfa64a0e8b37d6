import { listEventHistory } from '../db/code-history';
import { searchRedemptionEvents, type RedemptionEventFilters, type RedemptionEventRecord } from '../db/redemption-events';
import { canonicalForm } from '../domain/normalize-code';
import { DomainError } from '../model/errors';
import type { AppContext } from './context';

/** Every decided event stays searchable: what the per-event workflow's history used to show, from the rows. */
function view(r: RedemptionEventRecord) {
  return {
    eventId: r.eventId,
    producer: r.producer,
    memberId: r.memberId,
    campaignId: r.campaignId,
    code: r.code,
    outcome: r.outcome,
    reason: r.reason,
    points: r.points,
    rolledBackAt: r.rolledBackAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    result: r.result,
  };
}

const encodeCursor = (sortKey: string) => Buffer.from(sortKey).toString('base64url');
function decodeCursor(cursor: string | undefined): { at: string; eventId: string } | null {
  if (cursor === undefined) return null;
  const [at, ...rest] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (rest.length === 0 || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/.test(at)) {
    throw new DomainError('invalid', 'invalid_cursor', 'cursor: pass nextCursor from the previous page unchanged', 'cursor');
  }
  return { at, eventId: rest.join('|') };
}

export async function searchEvents(ctx: AppContext, query: RedemptionEventFilters & { limit: number; cursor?: string }) {
  const { limit, cursor, ...filters } = query;
  if (filters.code !== undefined) filters.code = canonicalForm(filters.code);
  const rows = await searchRedemptionEvents(ctx.db, filters, decodeCursor(cursor), limit + 1);
  const page = rows.slice(0, limit);
  return { items: page.map(view), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].sortKey) : null };
}

/** Event ids are unique per producer: an id two producers used needs `producer` to say whose event is meant. */
export function ambiguousEventId(eventId: string, producers: string[]): DomainError {
  return new DomainError(
    'conflict',
    'event_id_ambiguous',
    `event id "${eventId}" was used by ${producers.length} producers (${producers.join(', ')}); say which with producer`,
    'producer',
  );
}

export async function getEvent(ctx: AppContext, eventId: string, producer?: string) {
  const records = await searchRedemptionEvents(ctx.db, { eventId, producer }, null, 2);
  if (records.length === 0) throw new DomainError('not_found', 'event_not_found', `no event "${eventId}"`, 'id');
  if (records.length > 1) throw ambiguousEventId(eventId, records.map((r) => r.producer).sort());
  const [record] = records;
  const history = record.code ? await listEventHistory(ctx.db, record.code, eventId, record.producer) : [];
  return {
    ...view(record),
    history: history.map((h) => ({
      code: h.code,
      kind: h.kind,
      outcome: h.outcome,
      reason: h.reason,
      actor: h.actor,
      at: h.at.toISOString(),
    })),
  };
}
