import { z } from './zod';

/** A campaign's budget counts points given or redemptions made. */
export const BUDGET_KINDS = ['points', 'redemptions'] as const;
export type BudgetKind = (typeof BUDGET_KINDS)[number];

export const budget = z.object({ kind: z.enum(BUDGET_KINDS), cap: z.number().int().min(1).max(1_000_000_000_000) }).strict();

export type Budget = z.infer<typeof budget>;
