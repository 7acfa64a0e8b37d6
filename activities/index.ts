import type { Database } from '../db/database';
import { createCodeGenerationActivities, type ChunkFaults } from './code-generation';
import { createCodeImportActivities } from './code-import';
import { createDistributionActivities } from './distribution';
import { createCodeCancellationActivities } from './code-cancellation';
import { createReservationActivities } from './reservations';
import { createWebhookActivities } from './webhook-delivery';
import { createCampaignLifecycleActivities } from './campaign-lifecycle';
import { systemResolver, type Resolver } from './webhook-http';
import { createRetentionActivities } from './retention';
import type { WebhookConfig } from '../runtime/config';
import { SecretBox } from '../domain/secret-box';

export interface ActivityFaults {
  generation?: ChunkFaults;
  import?: ChunkFaults;
  distribution?: ChunkFaults;
  /** Replaces DNS for webhook deliveries (SSRF tests: a public-looking name that resolves to loopback). */
  webhookResolver?: Resolver;
}

/** Every activity the worker registers, bound to the database. */
export function createActivities(db: Database, webhooks: WebhookConfig, faults: ActivityFaults = {}) {
  const sender = { ...webhooks, resolve: faults.webhookResolver ?? systemResolver };
  return {
    ...createWebhookActivities(
      db,
      sender,
      { batchSize: webhooks.batchSize, timeoutMs: webhooks.timeoutMs },
      SecretBox.for(webhooks.secretsKey),
    ),
    ...createRetentionActivities(db),
    ...createCampaignLifecycleActivities(db),
    ...createCodeGenerationActivities(db, faults.generation),
    ...createCodeImportActivities(db, faults.import),
    ...createDistributionActivities(db, faults.distribution),
    ...createCodeCancellationActivities(db),
    ...createReservationActivities(db),
  };
}
