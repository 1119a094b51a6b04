/**
 * The API reference, generated from the route registry (shared/http/route-registry.ts)
 * and the same zod schemas the handlers validate with and answer by. `npm run openapi`
 * writes docs/openapi.json; a test fails when it is stale, and the integration
 * tests check every real answer against it.
 */
import * as z from 'zod';
import { ERROR_CATALOG, ERROR_CODES, type ErrorCode, type ErrorEntry } from '../domain/errors';
import { MAX_BODY_BYTES } from '../http/errors';
import { edgeStatuses, ROUTES, statusesOf, type RouteSpec } from '../http/route-registry';

// biome-ignore lint/suspicious/noExplicitAny: the document is assembled as plain JSON and checked whole by redocly and Ajv
type Json = Record<string, any>;

/**
 * The codes a status can carry, for the error body's enum: the catalog's, less
 * the ones only the jobs use inside (no HTTP answer carries them).
 */
export function errorCodesFor(status: number): readonly ErrorCode[] {
  return ERROR_CODES.filter((code) => {
    const entry: ErrorEntry = ERROR_CATALOG[code];
    return entry.status === status && entry.where !== 'jobs';
  });
}

/** What the edge's statuses mean, for a route's answers. */
function edgeText(route: RouteSpec, status: number): string {
  switch (status) {
    case 400:
      return route.body
        ? 'the input fails its schema (VALIDATION_FAILED, every problem in details) or the body is not JSON (MALFORMED_JSON)'
        : 'the input fails its schema (VALIDATION_FAILED, every problem in details)';
    case 401:
      if (route.auth === 'hmac')
        return 'UNAUTHORIZED: the signature is missing or does not match the body, or no secret is configured; nothing queued';
      if (route.auth === 'app-proxy')
        return 'PROXY_SIGNATURE_INVALID: the signature is missing, wrong or over 5 minutes old, or SHOPIFY_APP_SECRET is not set; nothing enrolled';
      if (route.auth === 'portal')
        return 'no, forged, expired or withdrawn portal token (PORTAL_LINK_INVALID, PORTAL_LINK_EXPIRED, PORTAL_LINK_REVOKED)';
      return 'UNAUTHORIZED: no, malformed or wrong bearer token';
    case 403:
      return `FORBIDDEN: the caller's staff role does not cover this route (it needs ${route.role ?? 'admin'}), or a Cognito user is in no staff group`;
    case 413:
      return route.auth === 'none'
        ? `PAYLOAD_TOO_LARGE: locally, a body over ${MAX_BODY_BYTES / 1024} KiB; on AWS, API Gateway refuses bodies over its own limit`
        : `PAYLOAD_TOO_LARGE: the body is over ${MAX_BODY_BYTES / 1024} KiB`;
    case 500:
      return 'INTERNAL: a fault of ours; it is logged, and the answer carries no internals';
    case 503:
      return route.auth === 'hmac'
        ? 'QUEUE_UNAVAILABLE: the delivery could not be queued (send it again); THROTTLED / UNAVAILABLE: the store is busy'
        : 'THROTTLED / UNAVAILABLE: the store is busy or slow; CONCURRENT_UPDATE: the member kept changing under the request. Nothing was written: retry after Retry-After';
    default:
      return 'error';
  }
}

const CAPACITY = { $ref: '#/components/headers/X-Loyalty-Capacity' };

export function buildOpenApi(): Json {
  const schemas: Record<string, Json> = {};
  const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): Json => {
    const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Json;
    const text = JSON.stringify(json).replaceAll('#/definitions/', '#/components/schemas/');
    const { definitions, ...rest } = JSON.parse(text) as Json;
    Object.assign(schemas, definitions ?? {});
    return rest;
  };
  /** Parameters are listed one by one, so a named (referenced) query schema is read through its reference. */
  const inlined = (schema: z.ZodType): Json => {
    const json = schemaOf(schema, 'input');
    return json.$ref ? schemas[String(json.$ref).split('/').pop()!]! : json;
  };
  const errorBody = (status: number): Json => {
    const name = `Error${status}`;
    schemas[name] ??= {
      type: 'object',
      description: `The error body of a ${status}: {"error": {"code", "message", "details"}}.`,
      properties: {
        error: {
          type: 'object',
          properties: {
            code: {
              type: 'string',
              enum: [...errorCodesFor(status)],
              // The catalog's own words for each code (shared/domain/errors.ts).
              description: errorCodesFor(status)
                .map((code) => `${code}: ${ERROR_CATALOG[code].title}`)
                .join('; '),
            },
            message: { type: 'string' },
            details: {
              type: 'array',
              description: 'Each problem: where (body.amount, query.from) and what is wrong there.',
              items: {
                type: 'object',
                properties: { path: { type: 'string' }, message: { type: 'string' } },
                required: ['message'],
                additionalProperties: false,
              },
            },
          },
          required: ['code', 'message', 'details'],
          additionalProperties: false,
        },
      },
      required: ['error'],
      additionalProperties: false,
    };
    return { $ref: `#/components/schemas/${name}` };
  };
  const headersOf = (
    route: RouteSpec,
    own: Readonly<Record<string, { description: string; required?: boolean }>> = {},
    skipCapacity = false,
  ): Json | undefined => {
    const headers: Json = Object.fromEntries(
      Object.entries(own).map(([name, h]) => [
        name,
        { description: h.description, ...(h.required && { required: true }), schema: { type: 'string' } },
      ]),
    );
    if (route.auth !== 'none' && !skipCapacity) headers['X-Loyalty-Capacity'] = CAPACITY;
    return Object.keys(headers).length > 0 ? headers : undefined;
  };

  const paths: Record<string, Json> = {};
  for (const route of ROUTES) {
    const path = route.params ? inlined(route.params) : undefined;
    const pathParams = [...route.path.matchAll(/\{(\w+)\+?\}/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: (path?.properties as Json | undefined)?.[name!] ?? { type: 'string' },
    }));
    const query = route.query ? inlined(route.query) : undefined;
    const queryParams = Object.entries((query?.properties ?? {}) as Record<string, Json>).map(([name, { description, ...schema }]) => ({
      name,
      in: 'query',
      required: ((query?.required ?? []) as string[]).includes(name) && schema.default === undefined,
      ...(description && { description }),
      schema,
    }));
    const headerParams = Object.entries(route.headers ?? {}).map(([name, h]) => ({
      name,
      in: 'header',
      required: h.required === true,
      description: h.description,
      schema: { type: 'string' },
    }));
    const body = route.body ? schemaOf(route.body, 'input') : undefined;
    const responses: Json = {};
    for (const status of statusesOf(route)) {
      const success = route.responses[status];
      if (success) {
        const content: Json = {};
        if (success.schema) content['application/json'] = { schema: schemaOf(success.schema, 'output') };
        if (success.html) content['text/html'] = { schema: { type: 'string', description: 'A page for a person to read.' } };
        if (success.csv) content['text/csv'] = { schema: { type: 'string', description: 'A header row, then one row per item.' } };
        const headers = headersOf(route, success.headers);
        responses[status] = { description: success.description, ...(headers && { headers }), content };
        continue;
      }
      const own = route.errors?.[status as keyof NonNullable<RouteSpec['errors']>];
      const edge = edgeStatuses(route).includes(status) ? edgeText(route, status) : undefined;
      const retry: Record<string, { description: string; required?: boolean }> =
        status === 503 || status === 429
          ? { 'Retry-After': { description: 'Seconds to wait before sending the same request again.', required: true } }
          : {};
      // A body over the limit is refused before the function runs (locally, and by API Gateway), so nothing was metered.
      const headers = headersOf(route, retry, status === 413);
      responses[status] = {
        description: [edge, own].filter(Boolean).join('; '),
        ...(headers && { headers }),
        content: { 'application/json': { schema: errorBody(status) } },
      };
    }
    // API Gateway's greedy {path+} is an ordinary {path} in OpenAPI (it may hold slashes).
    const openApiPath = route.path.replace(/\{(\w+)\+\}/g, '{$1}');
    paths[openApiPath] ??= {};
    paths[openApiPath]![route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description && { description: route.description }),
      ...(route.role && { 'x-staff-role': route.role }),
      security: route.auth === 'token' ? [{ bearer: [] }] : route.auth === 'portal' ? [{ portal: [] }] : [],
      parameters: [...pathParams, ...queryParams, ...headerParams],
      ...(body && {
        requestBody: {
          required: true,
          content: Object.fromEntries(
            (route.bodyMedia ?? ['application/json']).map((media) => [
              media,
              { schema: media === 'application/json' ? body : { type: 'string' } },
            ]),
          ),
        },
      }),
      responses,
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Loyalty club API',
      version: '1.0.0',
      description:
        'Generated from the route registry (shared/http/route-registry.ts) by `npm run openapi`. Errors are {"error": {"code", "message", "details"}}; docs/api.md states the contract.',
      license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
    },
    servers: [{ url: 'http://127.0.0.1:3000', description: '`npm start`; on AWS, the stack output ApiUrl' }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'The API token (full admin), a staff token (STAFF_TOKENS) or a Cognito ID token; roles in docs/pages.md',
        },
        portal: { type: 'http', scheme: 'bearer', description: "A member's portal token from POST /v1/members/{memberId}/portal-links" },
      },
      headers: {
        'X-Loyalty-Capacity': {
          description: 'What the request cost in DynamoDB capacity: rcu=…;wcu=…;wcuTable=…;wruAws=…;calls=… (docs/costs.md).',
          required: true,
          schema: { type: 'string' },
        },
      },
      schemas,
    },
    paths,
  };
}
