import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildOpenApi, undocumentedRoutes } from './openapi';

describe('the OpenAPI reference', () => {
  it('documents every route', () => {
    expect(undocumentedRoutes()).toEqual([]);
  });

  it('is what the schemas say (run `npm run openapi` after changing them)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(buildOpenApi());
  });

  it('describes the earn body from the zod schema', () => {
    const earn = buildOpenApi().paths['/v1/earn'].post;
    const schema = earn.requestBody.content['application/json'].schema;
    const ref = schema.$ref ? buildOpenApi().components.schemas.Earn : schema;
    expect(ref.required).toEqual(expect.arrayContaining(['memberId', 'orderId', 'amount', 'currency']));
  });
});
