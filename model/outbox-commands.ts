import { z } from './zod';

/**
 * Outbox rows that are not notifications: work for Temporal that a transaction asks for and the worker's relay
 * hands over once it commits (worker/outbox-relay.ts). They are never delivered as webhooks (no subscription can
 * name them). Written in the transaction of the change, so a rolled-back change asks for nothing and a committed
 * one is followed up whenever Temporal is reachable.
 */
export const OUTBOX_COMMAND_TYPES = ['campaign.changed', 'code_batch.requested', 'reservation.created'] as const;
export type OutboxCommandType = (typeof OUTBOX_COMMAND_TYPES)[number];

export const isOutboxCommand = (type: string): type is OutboxCommandType => (OUTBOX_COMMAND_TYPES as readonly string[]).includes(type);

/** The campaign's row changed (status, dates, rules): its workflow `campaign-<id>` re-reads it (started if none). */
export const campaignChangedCommand = z.object({
  workflowId: z.string(),
  campaignId: z.string(),
  /** The row's version this change wrote (for the logs: the workflow reads the row itself). */
  version: z.number().int(),
  checkIntervalMs: z.number().int(),
});
/** A generation job whose row is committed: start its workflow (the workflow's input, as POST /v1/code-batches). */
export const codeBatchRequestedCommand = z.object({
  workflowId: z.string(),
  batchId: z.string(),
  quantity: z.number().int(),
  chunkSize: z.number().int(),
  parallelism: z.number().int(),
});
/** A reservation whose row is committed: start its expiry timer. */
export const reservationCreatedCommand = z.object({ workflowId: z.string(), reservationId: z.string(), expiresAt: z.string() });

export type CampaignChangedCommand = z.infer<typeof campaignChangedCommand>;
export type CodeBatchRequestedCommand = z.infer<typeof codeBatchRequestedCommand>;
export type ReservationCreatedCommand = z.infer<typeof reservationCreatedCommand>;
