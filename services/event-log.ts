import { listEventHistory } from '../db/code-history';
import { searchRedemptionEvents, type RedemptionEventFilters, type RedemptionEventRecord } from '../db/redemption-events';
import { canonicalForm } from '../domain/normalize-code';
import { DomainError } from '../model/errors';
import type { AppContext } from './context';

/** Every decided event stays searchable: what the per-event workflow's history used to show, from the rows. */
export function eventView(r: RedemptionEventRecord) {
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
    rulesVersion: r.rulesVersion,
    result: r.result,
  };
}

/** One page of the event log, newest first, after the (pageAt, event id) of the previous page's last event. */
export async function searchEvents(
  ctx: AppContext,
  filters: RedemptionEventFilters,
  after: { at: string; id: string } | undefined,
  limit: number,
) {
  const code = filters.code === undefined ? undefined : canonicalForm(filters.code);
  const rows = await searchRedemptionEvents(ctx.db, { ...filters, code }, after, limit);
  return rows.map((r) => ({ ...eventView(r), pageAt: r.pageAt }));
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
  const records = await searchRedemptionEvents(ctx.db, { eventId, producer }, undefined, 2);
  if (records.length === 0) throw new DomainError('not_found', 'event_not_found', `no event "${eventId}"`, 'id');
  if (records.length > 1) throw ambiguousEventId(eventId, records.map((r) => r.producer).sort());
  const [record] = records;
  const history = record.code ? await listEventHistory(ctx.db, record.code, eventId, record.producer) : [];
  return {
    ...eventView(record),
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
