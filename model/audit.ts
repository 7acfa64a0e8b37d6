import { z } from './zod';

/** What the history records changes of (README "History"): configuration and every bulk action. */
export const AUDIT_ENTITIES = [
  'campaign',
  'reward',
  'event_schema',
  'webhook',
  'code_batch',
  'code_import',
  'code_status_import',
  'code',
  'distribution',
  'member',
  'redemption',
  'webhook_delivery',
] as const;
export const auditEntity = z.enum(AUDIT_ENTITIES);
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

/** What was done to it. */
export const AUDIT_ACTIONS = [
  'create',
  'update',
  'delete',
  'restore_rules',
  'generate',
  'import',
  'cancel',
  'rollback',
  'assign',
  'reserve',
  'redeem',
  'award',
  'redeliver',
] as const;
export const auditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const jsonValue = z.unknown().openapi({ description: 'Any JSON value' });

export const auditChange = z
  .object({
    path: z
      .string()
      .openapi({ description: 'Dotted path of the value (array items by index, e.g. rules.0.name); empty: the whole record' }),
    before: jsonValue.optional().openapi({ description: 'Absent: the value did not exist before' }),
    after: jsonValue.optional().openapi({ description: 'Absent: the value no longer exists' }),
  })
  .openapi('AuditChange');
export type AuditChange = z.infer<typeof auditChange>;

export const auditEntry = z
  .object({
    id: z.string().openapi({ description: 'Increasing with time' }),
    at: z.string().openapi({ description: 'When the change committed (its transaction began)' }),
    actor: z.string().openapi({ description: "The API key's principal, role:<12 hex> (never the key)", example: 'marketer:3f2a9c1b0d4e' }),
    entityType: auditEntity,
    entityId: z.string(),
    action: auditAction,
    diff: z.array(auditChange).openapi({ description: 'Before and after, value by value' }),
    detail: z
      .record(z.unknown())
      .nullable()
      .openapi({ description: "What else the change carried: a bulk action's request, a restored rule version's number" }),
  })
  .openapi('AuditEntry');
export type AuditEntry = z.infer<typeof auditEntry>;
