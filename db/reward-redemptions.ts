import type { Queryable } from './database';

export type RewardRedemptionKind = 'redemption' | 'award' | 'reservation';
export type RewardRedemptionStatus = 'reserved' | 'redeemed' | 'awarded' | 'expired' | 'rolled_back';

export interface RewardRedemption {
  id: string;
  rewardId: string;
  kind: RewardRedemptionKind;
  status: RewardRedemptionStatus;
  memberId: string | null;
  code: string;
  points: number;
  attributes: Record<string, unknown>;
  reservedUntil: Date | null;
  rollbackReason: string | null;
  rolledBackAt: Date | null;
  /** The client's reference (redemptions and awards), unique per producer: a retry answers this redemption. */
  reference: string | null;
  createdAt: Date;
}

const COLUMNS = `id, reward_id as "rewardId", kind, status, member_id as "memberId", code, points::float8 as points, attributes,
  reserved_until as "reservedUntil", rollback_reason as "rollbackReason", rolled_back_at as "rolledBackAt", reference,
  created_at as "createdAt"`;

export async function insertRewardRedemption(
  db: Queryable,
  r: Pick<RewardRedemption, 'id' | 'rewardId' | 'kind' | 'status' | 'memberId' | 'code' | 'points' | 'attributes' | 'reservedUntil'> & {
    producer: string;
    reference?: string;
  },
): Promise<RewardRedemption> {
  const { rows } = await db.query(
    `insert into reward_redemptions (id, reward_id, kind, status, member_id, code, points, attributes, reserved_until, producer, reference)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning ${COLUMNS}`,
    [r.id, r.rewardId, r.kind, r.status, r.memberId, r.code, r.points, r.attributes, r.reservedUntil, r.producer, r.reference ?? null],
  );
  return rows[0] as RewardRedemption;
}

/** The redemption or award a producer made with this reference, if any. */
export async function findRewardRedemptionByReference(
  db: Queryable,
  producer: string,
  reference: string,
): Promise<RewardRedemption | null> {
  const { rows } = await db.query(`select ${COLUMNS} from reward_redemptions where producer = $1 and reference = $2`, [
    producer,
    reference,
  ]);
  return (rows[0] as RewardRedemption | undefined) ?? null;
}

/** `forUpdate` locks the record: a rollback, an assignment and an expiry of one reservation never interleave. */
export async function findRewardRedemption(db: Queryable, id: string, forUpdate = false): Promise<RewardRedemption | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { rows } = await db.query(`select ${COLUMNS} from reward_redemptions where id = $1 ${forUpdate ? 'for update' : ''}`, [id]);
  return (rows[0] as RewardRedemption | undefined) ?? null;
}

export async function updateRewardRedemption(
  db: Queryable,
  id: string,
  changes: {
    status: RewardRedemptionStatus;
    memberId?: string;
    points?: number;
    attributes?: Record<string, unknown>;
    rollbackReason?: string;
  },
): Promise<RewardRedemption> {
  const { rows } = await db.query(
    `update reward_redemptions set status = $2, member_id = coalesce($3, member_id), points = coalesce($4, points),
       attributes = coalesce($5, attributes), rollback_reason = coalesce($6, rollback_reason),
       rolled_back_at = case when $2 = 'rolled_back' then now() else rolled_back_at end, updated_at = now()
     where id = $1 returning ${COLUMNS}`,
    [id, changes.status, changes.memberId ?? null, changes.points ?? null, changes.attributes ?? null, changes.rollbackReason ?? null],
  );
  return rows[0] as RewardRedemption;
}
