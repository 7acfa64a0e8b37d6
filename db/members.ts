import type { Queryable } from './database';
import type { MemberProfile } from '../model/member';

export interface Member extends MemberProfile {
  createdAt: Date;
  updatedAt: Date;
}

export type MemberInput = Pick<Member, 'tier' | 'segments' | 'tags' | 'enrolledAt' | 'attributes'>;

const COLUMNS = `id, tier, segments, tags, to_char(enrolled_at, 'YYYY-MM-DD') as "enrolledAt", attributes,
  balance::float8 as balance, created_at as "createdAt", updated_at as "updatedAt"`;

/** Creates or replaces a member's profile; the balance is never touched here. Returns the row and whether it was new. */
export async function upsertMember(db: Queryable, id: string, input: MemberInput): Promise<{ member: Member; created: boolean }> {
  const { rows } = await db.query(
    `insert into members (id, tier, segments, tags, enrolled_at, attributes) values ($1, $2, $3, $4, $5, $6)
     on conflict (id) do update set tier = excluded.tier, segments = excluded.segments, tags = excluded.tags,
       enrolled_at = excluded.enrolled_at, attributes = excluded.attributes, updated_at = now()
     returning ${COLUMNS}, (xmax = 0) as created`,
    [id, input.tier, input.segments, input.tags, input.enrolledAt, input.attributes],
  );
  const { created, ...member } = rows[0] as Member & { created: boolean };
  return { member, created };
}

/** `forUpdate` locks the member until the caller commits: all of one member's redemptions then run one at a time. */
export async function findMember(db: Queryable, id: string, forUpdate = false): Promise<Member | null> {
  const { rows } = await db.query(`select ${COLUMNS} from members where id = $1 ${forUpdate ? 'for update' : ''}`, [id]);
  return (rows[0] as Member | undefined) ?? null;
}

/** Several members at once (the what-if replay), by id. */
export async function findMembers(db: Queryable, ids: string[]): Promise<Map<string, Member>> {
  const { rows } = await db.query(`select ${COLUMNS} from members where id = any($1::text[])`, [ids]);
  return new Map((rows as Member[]).map((m) => [m.id, m]));
}
