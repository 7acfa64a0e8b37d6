import { listEventHistory } from '../db/code-history';
import { searchRedemptionEvents, type RedemptionEventFilters, type RedemptionEventRecord } from '../db/redemption-events';
import { canonicalForm } from '../domain/normalize-code';
import { DomainError } from '../model/errors';
import type { AppContext } from './context';

/** Every decided event stays searchable: what the per-event workflow's history used to show, from the rows. */
export function eventView(r: RedemptionEventRecord) {
  return {
    eventId: r.eventId,
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

export async function getEvent(ctx: AppContext, eventId: string) {
  const [record] = await searchRedemptionEvents(ctx.db, { eventId }, undefined, 1);
  if (!record) throw new DomainError('not_found', 'event_not_found', `no event "${eventId}"`, 'id');
  const history = record.code ? await listEventHistory(ctx.db, record.code, eventId) : [];
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
