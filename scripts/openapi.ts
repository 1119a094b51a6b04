import { writeFileSync } from 'node:fs';
import { buildOpenApi, undocumentedRoutes } from '../shared/schemas/openapi';

const missing = undocumentedRoutes();
if (missing.length) console.warn(`undocumented routes: ${missing.join(', ')}`);
writeFileSync('docs/openapi.json', `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
console.log('wrote docs/openapi.json');
