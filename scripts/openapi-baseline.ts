import fs from 'node:fs';
import path from 'node:path';
import { describeRoutes } from '../api/app';
import { buildOpenApiDocument } from '../api/openapi';

/**
 * Writes the current OpenAPI document to test/fixtures/openapi-baseline.json, the contract
 * test/unit/openapi-contract.test.ts holds the API to. Run it (`npm run openapi:baseline`) only when a change to
 * the document is intended, and commit the new baseline with the change.
 */
const target = path.join(__dirname, '../test/fixtures/openapi-baseline.json');
fs.writeFileSync(target, `${JSON.stringify(buildOpenApiDocument(describeRoutes), null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), target)}`);
