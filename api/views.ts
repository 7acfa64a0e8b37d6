import type { CodeBatch } from '../db/code-batches';
import type { CodeRecord } from '../db/codes';
import type { ImportRejection } from '../db/code-imports';
import type { Distribution } from '../db/distributions';

/** Database records as the API shows them (see api/schemas for the documented shapes). */
function poolView(kind: string, ownerId: string | null) {
  return { type: kind, id: ownerId };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function codeBatchView(batch: CodeBatch) {
  return {
    id: batch.id,
    source: batch.source,
    status: batch.status,
    requested: batch.requested,
    generated: batch.generated,
    pool: poolView(batch.poolKind, batch.poolOwnerId),
    spec: batch.spec,
    expiresAt: iso(batch.expiresAt),
    workflowId: batch.workflowId,
    error: batch.error,
    createdAt: iso(batch.createdAt),
    startedAt: iso(batch.startedAt),
    finishedAt: iso(batch.finishedAt),
  };
}

export function codeView(code: CodeRecord) {
  return {
    code: code.code,
    status: code.status,
    pool: poolView(code.poolKind, code.poolOwnerId),
    batchId: code.batchId,
    memberId: code.memberId,
    expiresAt: iso(code.expiresAt),
    createdAt: iso(code.createdAt),
    statusChangedAt: iso(code.statusChangedAt),
    redeemedAt: iso(code.redeemedAt),
    attributes: code.attributes,
  };
}

/** An import with one page of its refused rows (`nextCursor` from keysetPage on their lines). */
export function codeImportView(batch: CodeBatch, rejections: ImportRejection[] = [], nextCursor: string | null = null) {
  return {
    id: batch.id,
    status: batch.status,
    pool: poolView(batch.poolKind, batch.poolOwnerId),
    rows: batch.requested,
    imported: batch.generated,
    rejected: batch.rejected,
    workflowId: batch.workflowId,
    error: batch.error,
    createdAt: iso(batch.createdAt),
    finishedAt: iso(batch.finishedAt),
    rejections,
    nextCursor,
    nextAfter: nextCursor === null ? null : rejections[rejections.length - 1].line,
  };
}

export function distributionView(d: Distribution) {
  return {
    id: d.id,
    status: d.status,
    pool: poolView(d.poolKind, d.poolOwnerId),
    audience: d.audience,
    members: d.members,
    skipped: d.skipped,
    assigned: d.assigned,
    expiresAt: iso(d.expiresAt),
    topUpBatchId: d.topUpBatchId,
    workflowId: d.workflowId,
    error: d.error,
    returned: d.returned,
    createdAt: iso(d.createdAt),
    startedAt: iso(d.startedAt),
    finishedAt: iso(d.finishedAt),
    cancelledAt: iso(d.cancelledAt),
  };
}
