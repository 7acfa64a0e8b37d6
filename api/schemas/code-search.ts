import { z } from '../../model/zod';
import { codeFilters } from '../../model/code-filters';

export const codeSearchQuery = codeFilters
  .extend({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: z.string().max(200).optional().openapi({ description: '`nextCursor` of the previous page' }),
  })
  .strict();
