import type { Queryable } from './database';
import type { NotificationType } from '../model/notification-types';
import type { WebhookStatus } from '../model/webhooks';

export interface WebhookSubscription {
  id: string;
  url: string;
  events: NotificationType[];
  description: string | null;
  secret: string;
  status: WebhookStatus;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `id, url, events, description, secret, status, created_by as "createdBy", created_at as "createdAt",
  updated_at as "updatedAt"`;

export async function insertWebhookSubscription(
  db: Queryable,
  s: Pick<WebhookSubscription, 'id' | 'url' | 'events' | 'description' | 'secret' | 'createdBy'>,
): Promise<WebhookSubscription> {
  const { rows } = await db.query(
    `insert into webhook_subscriptions (id, url, events, description, secret, created_by) values ($1, $2, $3, $4, $5, $6)
     returning ${COLUMNS}`,
    [s.id, s.url, s.events, s.description, s.secret, s.createdBy],
  );
  return rows[0] as WebhookSubscription;
}

/** `forUpdate` locks the row until the caller commits (a change reads what it replaces). */
export async function findWebhookSubscription(db: Queryable, id: string, forUpdate = false): Promise<WebhookSubscription | null> {
  const { rows } = await db.query(`select ${COLUMNS} from webhook_subscriptions where id = $1 ${forUpdate ? 'for update' : ''}`, [id]);
  return (rows[0] as WebhookSubscription | undefined) ?? null;
}

export async function listWebhookSubscriptions(db: Queryable): Promise<WebhookSubscription[]> {
  const { rows } = await db.query(`select ${COLUMNS} from webhook_subscriptions order by created_at, id`);
  return rows as WebhookSubscription[];
}

export async function updateWebhookSubscription(
  db: Queryable,
  id: string,
  changes: Partial<Pick<WebhookSubscription, 'url' | 'events' | 'description' | 'status'>>,
): Promise<WebhookSubscription | null> {
  const { rows } = await db.query(
    `update webhook_subscriptions set url = coalesce($2, url), events = coalesce($3, events),
            description = case when $4::boolean then $5 else description end, status = coalesce($6, status), updated_at = now()
      where id = $1 returning ${COLUMNS}`,
    [
      id,
      changes.url ?? null,
      changes.events ?? null,
      changes.description !== undefined,
      changes.description ?? null,
      changes.status ?? null,
    ],
  );
  return (rows[0] as WebhookSubscription | undefined) ?? null;
}

export async function deleteWebhookSubscription(db: Queryable, id: string): Promise<boolean> {
  return ((await db.query(`delete from webhook_subscriptions where id = $1`, [id])).rowCount ?? 0) > 0;
}

/** Whether any active subscription wants one of these types (the relay skips fan-out work when none does). */
export async function activeSubscriptionTypes(db: Queryable): Promise<Set<string>> {
  const { rows } = await db.query(`select distinct unnest(events) as type from webhook_subscriptions where status = 'active'`);
  return new Set(rows.map((r: { type: string }) => r.type));
}

/**
 * Seals every secret still in the clear (from before encryption) or sealed with a key that is no longer the first
 * of SECRETS_KEY (a rotation). Run by each worker at start; safe to run twice or concurrently.
 */
export async function resealWebhookSecrets(
  db: Queryable,
  box: { needsResealing(stored: string): boolean; open(stored: string): string; seal(plain: string): string },
): Promise<number> {
  const { rows } = await db.query(`select id, secret from webhook_subscriptions`);
  let resealed = 0;
  for (const row of rows as Array<{ id: string; secret: string }>) {
    if (!box.needsResealing(row.secret)) continue;
    const { rowCount } = await db.query(`update webhook_subscriptions set secret = $3 where id = $1 and secret = $2`, [
      row.id,
      row.secret,
      box.seal(box.open(row.secret)),
    ]);
    resealed += rowCount ?? 0;
  }
  return resealed;
}

/**
 * A subscription's delivery workflow is about to look at what is left and perhaps sleep: from now on a relay
 * that adds deliveries wakes it. Set before that look, so a delivery committed after it is never missed.
 */
export async function markDeliveryIdle(db: Queryable, id: string): Promise<void> {
  await db.query(`update webhook_subscriptions set delivery_idle = true where id = $1 and not delivery_idle`, [id]);
}

/** Of these subscriptions, the ones whose workflow may be asleep, marked awake: the caller wakes exactly those. */
export async function takeIdleSubscriptions(db: Queryable, ids: string[]): Promise<string[]> {
  const { rows } = await db.query(
    `update webhook_subscriptions set delivery_idle = false where id = any($1::uuid[]) and delivery_idle returning id`,
    [ids],
  );
  return rows.map((r: { id: string }) => r.id);
}
