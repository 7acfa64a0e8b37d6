import { z } from '../../model/zod';
import { cursorParam } from '../cursor';
import { codeFilters } from '../../model/code-filters';

export const codeSearchQuery = codeFilters
  .extend({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: cursorParam,
  })
  .strict();
