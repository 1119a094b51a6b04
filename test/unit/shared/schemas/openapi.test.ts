import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../../shared/http/route-registry';
import { buildOpenApi } from '../../../../shared/schemas/openapi';

describe('the OpenAPI reference', () => {
  it('documents every route of the registry, each under its own operationId', () => {
    const doc = buildOpenApi();
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops as object).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`),
    );
    // API Gateway's greedy {path+} is written {path} in OpenAPI.
    expect(operations.sort()).toEqual(ROUTES.map((r) => `${r.key.replace('+}', '}')} ${r.operationId}`).sort());
    expect(new Set(ROUTES.map((r) => r.operationId)).size).toBe(ROUTES.length);
  });

  it('lists the edge answers: 401 and 403 on bearer routes, 413 on every guarded route, 503 with Retry-After', () => {
    const redeem = buildOpenApi().paths['/v1/redeem'].post.responses;
    expect(Object.keys(redeem)).toEqual(['200', '400', '401', '403', '404', '409', '413', '422', '500', '503']);
    expect(redeem['503'].headers['Retry-After'].required).toBe(true);
    const me = buildOpenApi().paths['/v1/me'].get.responses;
    expect(Object.keys(me)).toEqual(['200', '401', '413', '500', '503']);
  });

  it('declares the report queries and their CSV answers', () => {
    const series = buildOpenApi().paths['/v1/reports/series'].get;
    expect(series.parameters.map((p: { name: string }) => p.name)).toEqual(['from', 'to', 'interval', 'metric', 'format']);
    expect(Object.keys(series.responses['200'].content)).toEqual(['application/json', 'text/csv']);
  });

  it('types amounts as decimal text, refusing prose ("ten dollars")', () => {
    const doc = buildOpenApi();
    const earn = doc.components.schemas.Earn;
    const text = earn.properties.amount.anyOf.find((s: { type: string }) => s.type === 'string');
    expect(new RegExp(text.pattern).test('199.90')).toBe(true);
    expect(new RegExp(text.pattern).test('ten dollars')).toBe(false);
    expect(doc.components.schemas.Program.properties.earning.properties.pointsPerUnit).toMatchObject({ type: 'string' });
  });

  it('is what the schemas say (run `npm run openapi` after changing them)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../../../docs/openapi.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(buildOpenApi());
  });

  it('describes the earn body from the zod schema', () => {
    const earn = buildOpenApi().paths['/v1/earn'].post;
    const schema = earn.requestBody.content['application/json'].schema;
    const ref = schema.$ref ? buildOpenApi().components.schemas.Earn : schema;
    expect(ref.required).toEqual(expect.arrayContaining(['memberId', 'orderId', 'amount', 'currency']));
  });
});
