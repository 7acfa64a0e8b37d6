import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Every record is written once, with zod, and serves validation, TypeScript types and the OpenAPI document. The
// extension only adds `.openapi(...)` metadata (names, descriptions, examples) to the schemas; it knows no HTTP.
extendZodWithOpenApi(z);

export { z };
