import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Every schema is written once, with zod, and serves validation, TypeScript types and the OpenAPI document.
extendZodWithOpenApi(z);

export { z };
