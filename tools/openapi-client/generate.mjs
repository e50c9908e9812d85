// Writes the TypeScript types of the OpenAPI document (openapi-typescript): `paths`, `operations`
// (by operationId) and `components` (the named schemas), which openapi-fetch types a client with.
// Usage: node tools/openapi-client/generate.mjs <document.json> <out.ts>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: generate.mjs <document.json> <out.ts>');
const ast = await openapiTS(JSON.parse(readFileSync(input, 'utf8')), {
  // A request field with a default may be left out (the document's request schemas say so);
  // openapi-typescript's default would make it required.
  defaultNonNullable: false,
  exportType: true,
});
mkdirSync(path.dirname(output), { recursive: true });
writeFileSync(
  output,
  `// Generated from the OpenAPI document by tools/openapi-client/generate.mjs (openapi-typescript): do not edit.\n${astToString(ast)}`,
);
