import type { Queryable } from './database';
import { countOf, ownedPoolStatusCounts, totalOf } from './code-pool-counts';
import type { RewardInput } from '../model/reward';

export interface Reward extends RewardInput {
  createdAt: Date;
  updatedAt: Date;
}

export interface CertificateCounts {
  total: number;
  unused: number;
  issued: number;
  redeemed: number;
}

const COLUMNS = `id, name, active, type, sub_type as "subType", points_cost::float8 as "pointsCost", value,
  short_description as "shortDescription", confirmation_html as "confirmationHtml", post_confirmation_html as "postConfirmationHtml",
  image_url as "imageUrl", shown_to_guests as "shownToGuests", display_order as "displayOrder", eligibility,
  transaction_attributes as "transactionAttributes", created_at as "createdAt", updated_at as "updatedAt"`;

/** Drops null columns so a reward reads back as it was written (optional fields absent, not null). */
function clean(row: Record<string, unknown>): Reward {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null)) as unknown as Reward;
}

/** Returns null when a reward with that id exists already. */
export async function insertReward(db: Queryable, r: RewardInput): Promise<Reward | null> {
  const { rows } = await db.query(
    `insert into rewards (id, name, active, type, sub_type, points_cost, value, short_description, confirmation_html,
       post_confirmation_html, image_url, shown_to_guests, display_order, eligibility, transaction_attributes)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) on conflict (id) do nothing returning ${COLUMNS}`,
    [
      r.id,
      r.name,
      r.active,
      r.type,
      r.subType ?? null,
      r.pointsCost,
      r.value ?? null,
      r.shortDescription ?? null,
      r.confirmationHtml ?? null,
      r.postConfirmationHtml ?? null,
      r.imageUrl ?? null,
      r.shownToGuests,
      r.displayOrder,
      JSON.stringify(r.eligibility),
      JSON.stringify(r.transactionAttributes),
    ],
  );
  return rows[0] ? clean(rows[0]) : null;
}

export async function findReward(db: Queryable, id: string): Promise<Reward | null> {
  const { rows } = await db.query(`select ${COLUMNS} from rewards where id = $1`, [id]);
  return rows[0] ? clean(rows[0]) : null;
}

export async function listRewards(db: Queryable, activeOnly = false): Promise<Reward[]> {
  const { rows } = await db.query(`select ${COLUMNS} from rewards ${activeOnly ? 'where active' : ''} order by display_order, id`);
  return rows.map(clean);
}

/** Certificate counts from the per-status counts of the reward's code pool (kept by the database). */
export async function certificateCounts(db: Queryable, rewardId: string): Promise<CertificateCounts> {
  const counts = await ownedPoolStatusCounts(db, 'reward', rewardId);
  return {
    total: totalOf(counts),
    unused: countOf(counts, 'unused'),
    issued: countOf(counts, 'reserved', 'redeemed', 'awarded', 'fulfilled'),
    redeemed: countOf(counts, 'redeemed', 'fulfilled'),
  };
}
