/**
 * The HTTP edge every route shares: size limit, bearer auth, body decoding,
 * validation helpers, capacity metering and the contract's error shape. A
 * route function only parses its input, calls a use case and shapes the answer.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import type { ClubDeps } from '../club/deps';
import { DomainError } from '../domain/errors';
import { withCost } from '../costs/record';
import { lambdaHandler, logger } from '../lambda';
import { currentCapacity } from '../store/capacity-meter';
import { withWriteDeadline } from '../store/write-deadline';
import { readAccessConfig, readRunConfig } from '../config';
import { portalMember, type PortalPrincipal } from '../portal/secret';
import { authorize, staffPrincipal, type StaffPrincipal } from './staff';
import { MAX_BODY_BYTES, toErrorResponse, validationError, type CsvText, type HtmlText, type Reply } from './errors';
// Type only: the registry's schemas type the answers without reaching the bundle.
import type { ROUTE_REGISTRY } from './route-registry';
import { routeOf, type RouteKey } from './route-table';
import { wiring } from '../wiring';

export interface ClubRequest {
  readonly routeKey: string;
  readonly params: Record<string, string | undefined>;
  readonly query: Record<string, string | undefined>;
  /** Lower-cased names. */
  readonly headers: Record<string, string | undefined>;
  /** The decoded body text, exactly as sent (HMAC checks need the raw bytes). */
  readonly rawBody: string;
  /** The body bytes exactly as sent: what webhook signatures are made over. */
  readonly rawBytes: Buffer;
  readonly deps: ClubDeps;
  readonly requestId: string;
  /** Who is calling, as the network sees it (API Gateway's requestContext.http.sourceIp): what per-client limits count. */
  readonly sourceIp: string;
  /** Bearer routes: who is calling (the API token, a staff token, a Cognito user). */
  readonly staff?: StaffPrincipal;
  /** Portal routes (/v1/me/*): the member the link was issued for, as read by the link's check. */
  readonly member?: PortalPrincipal;
}

/**
 * The answers a route may give, from its registry entry: for each success status,
 * a JSON body of its response schema's type (or CSV where the route offers it).
 * A handler that sends a field the schema doesn't have, or lacks one it needs,
 * doesn't compile, so the reference can't drift from what is sent.
 */
/** What the schema says, read-only all the way down: the domain hands out readonly arrays. */
type Wire<T> = T extends readonly (infer E)[] ? readonly Wire<E>[] : T extends object ? { readonly [P in keyof T]: Wire<T[P]> } : T;
type Responses<K extends RouteKey> = (typeof ROUTE_REGISTRY)[K]['responses'];
type ReplyOf<S extends number, R> =
  | (R extends { readonly schema: infer Z extends z.ZodType } ? Reply<S, Wire<z.output<Z>>> : never)
  | (R extends { readonly csv: true } ? Reply<S, CsvText> : never)
  | (R extends { readonly html: true } ? Reply<S, HtmlText> : never);
export type RouteReply<K extends RouteKey> = { [S in keyof Responses<K> & number]: ReplyOf<S, Responses<K>[S]> }[keyof Responses<K> &
  number];

export type RouteHandler<K extends RouteKey = RouteKey> = (req: ClubRequest) => Promise<RouteReply<K>>;

/**
 * When a long request (a job run, an import batch) stops taking work: with 3 s of the
 * invocation left, for the work in flight and the answer (API Gateway waits 30 s, the
 * function has 10; the local server counts the same 10 s down), or after 7 s of its own
 * without an invocation's deadline (a direct call). What it did not take is answered so
 * the caller sends it again (a continuation, not-attempted rows).
 */
export function stopBeforeDeadline(req: Pick<ClubRequest, 'deps'>): () => boolean {
  const { remainingMs } = req.deps;
  if (remainingMs) return () => remainingMs() < 3_000;
  const started = Date.now();
  return () => Date.now() - started > 7_000;
}

/** Parses and validates one part of the request; a failure is a 400 naming every problem. */
export function input<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'path'): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error, where);
  return parsed.data;
}

/** The body as JSON; an empty body is an empty object so the schema names what is missing. */
export function jsonBody(req: ClubRequest): unknown {
  if (req.rawBody.trim() === '') return {};
  try {
    return JSON.parse(req.rawBody);
  } catch {
    throw new DomainError('MALFORMED_JSON', 'the body is not valid JSON');
  }
}

function lowerCaseHeaders(headers: APIGatewayProxyEventV2['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v;
  return out;
}

/**
 * One Lambda handler for a group of routes, keyed by API Gateway's routeKey
 * ("POST /v1/earn"), so the stack, the local server and the handler agree.
 */
export function routeTable<K extends RouteKey>(routes: { readonly [P in K]: RouteHandler<P> }) {
  const table = routes as unknown as Record<string, RouteHandler>;
  // Who may call each route is the registry's to say, never the handler's.
  for (const key of Object.keys(table)) {
    if (!routeOf(key)) throw new Error(`${key} is not in the route registry (shared/http/route-table.ts)`);
  }
  // On Lambda this runs as the function starts: a malformed STAFF_TOKENS fails the start,
  // with the variable named in the log, rather than every authenticated call with a 500.
  // (Locally, startClub checks it before anything listens.)
  if (readRunConfig().onLambda) readAccessConfig();
  const answer = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    // The invocation's deadline: retry loops stop by it and no write is sent past it (shared/store/write-deadline.ts).
    const remainingMs = context?.getRemainingTimeInMillis ? () => context.getRemainingTimeInMillis() : undefined;
    try {
      const route = table[event.routeKey];
      const auth = routeOf(event.routeKey)?.auth;
      if (!route || !auth) throw new DomainError('NOT_FOUND', `no route ${event.routeKey}`);
      const headers = lowerCaseHeaders(event.headers);
      const raw = event.body ?? '';
      const bytes = event.isBase64Encoded ? Math.floor((raw.length * 3) / 4) : Buffer.byteLength(raw, 'utf8');
      if (bytes > MAX_BODY_BYTES) {
        throw new DomainError('PAYLOAD_TOO_LARGE', `the body is over ${MAX_BODY_BYTES} bytes`);
      }
      const staff = auth === 'token' ? await staffPrincipal(headers.authorization, wiring().config, readAccessConfig()) : undefined;
      if (staff) authorize(staff, event.routeKey);
      const member = auth === 'portal' ? await portalMember(headers.authorization, wiring().club.store, wiring().club.now()) : undefined;
      const rawBytes = Buffer.from(raw, event.isBase64Encoded ? 'base64' : 'utf8');
      const rawBody = event.isBase64Encoded ? rawBytes.toString('utf8') : raw;
      return await route({
        routeKey: event.routeKey,
        params: event.pathParameters ?? {},
        query: event.queryStringParameters ?? {},
        headers,
        rawBody,
        rawBytes,
        deps: remainingMs ? { ...wiring().club, remainingMs } : wiring().club,
        requestId: context?.awsRequestId ?? event.requestContext?.requestId ?? '',
        sourceIp: event.requestContext?.http?.sourceIp ?? 'unknown',
        staff,
        member,
      });
    } catch (err) {
      const { response, unexpected } = toErrorResponse(err);
      if (unexpected) {
        logger.error('request failed', { routeKey: event.routeKey, error: err as Error });
      }
      return response;
    }
  };
  // What each request cost: EMF on AWS, the local costs file locally (docs/costs.md).
  const core = withCost<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(
    { route: (event) => event.routeKey, trigger: 'http-api', status: (result) => result.statusCode },
    async (event, context) => {
      const remainingMs = context?.getRemainingTimeInMillis ? () => context.getRemainingTimeInMillis() : undefined;
      const result = await withWriteDeadline(remainingMs, () => answer(event, context));
      // Finance and the bench read what each request cost in DynamoDB capacity (all its calls are done by now).
      const c = currentCapacity();
      // wruAws: the write units by AWS's rule for transactions, where DynamoDB Local reports its own (docs/costs.md).
      const cost = `rcu=${c?.readCapacityUnits ?? 0};wcu=${c?.writeCapacityUnits ?? 0};wcuTable=${c?.tableWriteCapacityUnits ?? 0};wruAws=${c?.awsWriteUnits ?? 0};calls=${c?.calls ?? 0}`;
      return { ...result, headers: { ...result.headers, 'x-loyalty-capacity': cost } };
    },
  );
  // The logger's Lambda context and no early timeout (shared/lambda.ts).
  return lambdaHandler(core);
}
