import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ok, type Schemas } from '../api/client';
import { ErrorNote } from '../components/common';
import { ConfirmedAction } from '../components/ConfirmedAction';

type Entry = Schemas['PointTransaction'];

/**
 * What `POST /v1/redemptions/:id/rollback` takes for a ledger entry: a campaign credit names its event
 * (`attributes.eventId`), a reward debit its redemption (`reward-redemption:<id>`). Entries that are themselves
 * rollbacks, or already rolled back (a `rollback:<reference>` entry exists), have none.
 */
export function rollbackTarget(entry: Entry, ledger: Entry[]): string | null {
  if (entry.reference.startsWith('rollback:')) return null;
  if (ledger.some((other) => other.reference === `rollback:${entry.reference}`)) return null;
  const eventId = entry.attributes.eventId;
  if (entry.kind === 'credit' && entry.source.startsWith('campaign:') && typeof eventId === 'string') return eventId;
  if (entry.kind === 'debit' && entry.reference.startsWith('reward-redemption:')) return entry.reference.slice('reward-redemption:'.length);
  return null;
}

/** Operators: roll a redemption back from the member's ledger, behind a dialog asking for the reason. */
export function RollBackAction({ entry, ledger }: { entry: Entry; ledger: Entry[] }) {
  const queryClient = useQueryClient();
  const rollBack = useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      ok(api.POST('/v1/redemptions/{id}/rollback', { params: { path: { id } }, body: { reason } })),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  const target = rollbackTarget(entry, ledger);
  if (!target) return null;
  return (
    <>
      <ConfirmedAction
        label="Roll back"
        title="Roll this redemption back?"
        confirmLabel="Roll back"
        reason={{ label: 'Reason', initial: 'rolled back from the console' }}
        onConfirm={(reason) => rollBack.mutate({ id: target, reason })}
      >
        {entry.kind === 'credit'
          ? `The ${entry.points} points are taken back, the campaign's budget is restored and the code can be used again.`
          : `The ${entry.points} points are credited back and the reward's code is freed.`}
      </ConfirmedAction>
      <ErrorNote error={rollBack.error} />
    </>
  );
}
