import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { openApiDocument } from '../../shared/http/openapi';

/** Writes the OpenAPI document the API serves (GET /v1/openapi.json) to a file, for redocly lint. */
const file = process.argv[2] ?? 'test-artifacts/openapi.json';
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`wrote ${file}`);
