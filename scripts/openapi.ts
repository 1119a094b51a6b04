import { writeFileSync } from 'node:fs';
import { buildOpenApi } from '../shared/schemas/openapi';

writeFileSync('docs/openapi.json', `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
console.log('wrote docs/openapi.json');
