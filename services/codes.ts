import { DomainError } from '../model/errors';
import { findBatch } from '../db/code-batches';
import { listCodeHistory, recordStatusChange } from '../db/code-history';
import { findCode, setCodeStatus, type CodeRecord } from '../db/codes';
import { CANCELLABLE } from '../domain/code-status';
import { normalizeCode } from '../domain/normalize-code';
import type { AppContext } from './context';
import { recordChange } from '../db/audit-log';
import type { Database, Queryable } from '../db/database';
import { cachedCodeFamilies } from '../db/code-families';
import { isMistyped, MISTYPED_CODE_MESSAGE } from '../domain/code-family';

/**
 * A code as typed by a person → its record, or the 400/422/404 every code route answers. The code is looked up
 * first: only a code that does not exist and fails a check-character family's check is refused as mistyped (422),
 * so a family never hides an existing code, imported ones of the same shape included (`client`: the transaction
 * to look up in, when there is one).
 */
export async function lookupCode(
  db: Database,
  typed: string,
  options: { client?: Queryable; forUpdate?: boolean } = {},
): Promise<CodeRecord> {
  const code = normalizeCode(typed);
  if (!code) throw new DomainError('invalid', 'invalid_code', 'a code is 1-64 letters and digits (spaces and dashes are ignored)', 'code');
  const record = await findCode(options.client ?? db, code, options.forUpdate);
  if (record) return record;
  if (isMistyped(code, await cachedCodeFamilies(db)))
    throw new DomainError('unprocessable', 'invalid_check_character', MISTYPED_CODE_MESSAGE, 'code');
  throw new DomainError('not_found', 'code_not_found', `no code "${code}"`, 'code');
}

/** Everything an operator needs to troubleshoot a code: where it came from and everything that happened to it. */
export async function codeWithHistory(ctx: AppContext, typed: string) {
  const record = await lookupCode(ctx.db, typed);
  const batch = record.batchId ? await findBatch(ctx.db, record.batchId) : null;
  const origin = batch
    ? { batchId: batch.id, source: batch.source, createdBy: batch.createdBy, workflowId: batch.workflowId, createdAt: batch.createdAt }
    : null;
  return { record, origin, history: await listCodeHistory(ctx.db, record.code) };
}

/** Cancels one unused or reserved code; cancelling a cancelled code changes nothing; any other status is a 409. */
export async function cancelCode(ctx: AppContext, typed: string, reason: string, actor: string): Promise<CodeRecord> {
  return ctx.db.transaction(async (client) => {
    const record = await lookupCode(ctx.db, typed, { client, forUpdate: true });
    if (record.status === 'cancelled') return record;
    if (!CANCELLABLE.includes(record.status)) {
      throw new DomainError(
        'conflict',
        'code_not_cancellable',
        `a ${record.status} code can't be cancelled (roll its redemption back instead)`,
        'code',
      );
    }
    await setCodeStatus(client, record.code, 'cancelled');
    await recordStatusChange(client, record.code, record.status, 'cancelled', actor, reason);
    await recordChange(client, {
      actor,
      entityType: 'code',
      entityId: record.code,
      action: 'cancel',
      before: { status: record.status },
      after: { status: 'cancelled' },
      detail: { reason },
    });
    return (await findCode(client, record.code))!;
  });
}
