/**
 * The local stand-in for API Gateway (HTTP API, payload format 2.0): a plain node
 * HTTP server that builds the event AWS would build, calls the same handler module
 * Lambda would run, and writes back the structured result the way API Gateway does.
 */
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ROUTES, routeKey, type FunctionName, type RouteSpec } from '../functions/routes';
import { API_CORS } from '../shared/http/cors';
import { errorResponse, MAX_BODY_BYTES } from '../shared/http/errors';
import { FUNCTION_TIMEOUT_MS, lambdaContext } from './lambda-context';
import { isPagePath, servePage } from './pages';
import type { ErrorCode } from '../shared/domain/errors';
/** Past this much of an oversized body we stop draining and drop the connection. */
const MAX_DRAIN_BYTES = 8 * 1024 * 1024;

export interface ServerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** No access log on stdout. Handler errors still go to stderr. */
  readonly quiet?: boolean;
  /** Where handlers come from; tests swap in their own. @default import('../functions/<fn>') */
  readonly loadHandler?: (fn: FunctionName) => Promise<LambdaHandler>;
}

export interface LocalServer {
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish (5 s at most), closes idle keep-alive sockets. */
  close(): Promise<void>;
}

export type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

// --- routing -----------------------------------------------------------------

interface CompiledRoute {
  readonly spec: RouteSpec;
  readonly segments: readonly { literal?: string; param?: string }[];
  readonly literals: number;
  /** API Gateway's {name+}: the last parameter takes the rest of the path, slashes and all. */
  readonly greedy: boolean;
}

const COMPILED: readonly CompiledRoute[] = ROUTES.map((spec) => {
  const segments = spec.path
    .split('/')
    .slice(1)
    .map((s) => (/^\{[^}]+\}$/.test(s) ? { param: s.slice(1, -1).replace(/\+$/, '') } : { literal: s }));
  return { spec, segments, literals: segments.filter((s) => s.literal !== undefined).length, greedy: spec.path.endsWith('+}') };
});

type Match = { route: CompiledRoute; rawParams: Record<string, string> };

function matchPath(rawPath: string): Match[] {
  const parts = rawPath.split('/').slice(1);
  const matches: Match[] = [];
  for (const route of COMPILED) {
    const n = route.segments.length;
    if (route.greedy ? parts.length < n : n !== parts.length) continue;
    const rawParams: Record<string, string> = {};
    const ok = route.segments.every((seg, i) => {
      const part = route.greedy && i === n - 1 ? parts.slice(i).join('/') : parts[i]!;
      if (seg.literal !== undefined) return seg.literal === part;
      rawParams[seg.param!] = part;
      return part !== '';
    });
    if (ok) matches.push({ route, rawParams });
  }
  // API Gateway prefers the most specific route: literal segments beat parameters.
  return matches.sort((a, b) => b.route.literals - a.route.literals);
}

// --- handlers ----------------------------------------------------------------

// Imported on first use, after the club has set process.env, because handlers read
// their config at first use. Cached like a warm Lambda container.
const handlers = new Map<FunctionName, Promise<LambdaHandler>>();

/** The functions imported so far: a test can check a request never reached one. */
export function loadedFunctions(): FunctionName[] {
  return [...handlers.keys()];
}

function importHandler(fn: FunctionName): Promise<LambdaHandler> {
  let loading = handlers.get(fn);
  if (!loading) {
    // @vite-ignore: vitest would warn that a variable import has no static extension.
    loading = import(/* @vite-ignore */ `../functions/${fn}`).then(
      (mod: { handler?: unknown }) => {
        if (typeof mod.handler !== 'function') throw new Error(`functions/${fn}.ts does not export a handler`);
        return mod.handler as LambdaHandler;
      },
      (err: NodeJS.ErrnoException & { url?: string }) => {
        // Say so plainly when the route's handler simply isn't written yet.
        // (node sets err.url; vitest's module runner only says it in the message)
        const missing =
          err.code === 'ERR_MODULE_NOT_FOUND' &&
          ((err.url ?? '').endsWith(`/functions/${fn}`) || err.message.includes(`/functions/${fn}'`));
        throw missing ? new Error(`functions/${fn}.ts does not exist yet`) : err;
      },
    );
    // A failed import (a handler not written yet) is retried on the next request.
    loading.catch(() => handlers.delete(fn));
    handlers.set(fn, loading);
  }
  return loading;
}

// --- requests ----------------------------------------------------------------

/** An error answer of the local server itself, with the status the catalog gives its code. */
function sendError(res: ServerResponse, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  // The edge's own answers (no route, too large) in the shape, and with the status, every handler answers with.
  const answer = errorResponse(code, message);
  writeResult(res, { ...answer, headers: { ...answer.headers, ...headers } });
}

type BodyResult = { ok: true; body: Buffer } | { ok: false };

/**
 * Reads at most MAX_BODY_BYTES. Past that it answers 413 at once and discards the
 * rest (so the client gets to read the answer instead of a reset), up to a bound.
 */
function readBody(req: IncomingMessage, res: ServerResponse): Promise<BodyResult> {
  return new Promise((done) => {
    const declared = Number(req.headers['content-length']);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const reject413 = () => {
      tooLarge = true;
      chunks.length = 0;
      sendError(res, 'PAYLOAD_TOO_LARGE', `The request body is over ${MAX_BODY_BYTES} bytes.`, {
        connection: 'close',
      });
      done({ ok: false });
    };
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) reject413();
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (tooLarge) {
        if (size > MAX_DRAIN_BYTES) req.destroy();
        return;
      }
      if (size > MAX_BODY_BYTES) return reject413();
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!tooLarge) done({ ok: true, body: Buffer.concat(chunks, size) });
    });
    // The client went away mid-body: no handler call (a no-op once 'end' has resolved).
    req.on('close', () => done({ ok: false }));
    req.on('error', () => done({ ok: false }));
  });
}

/** What API Gateway passes through as text; everything else arrives base64-encoded. */
function isTextual(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript'
  );
}

/** API Gateway's access-log time: 12/Mar/2020:19:03:58 +0000 */
function gatewayTime(d: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`
  );
}

export interface EventInput {
  readonly req: IncomingMessage;
  readonly route: RouteSpec;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly pathParameters: Record<string, string>;
  readonly body: Buffer;
  readonly requestId: string;
  readonly now: Date;
}

export function toEvent(input: EventInput): APIGatewayProxyEventV2 {
  const { req, route, rawPath, rawQueryString, pathParameters, body, requestId, now } = input;

  // rawHeaders keeps repeats that req.headers folds or drops; API Gateway joins them with ','.
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    const value = req.rawHeaders[i + 1]!;
    if (name === 'cookie') {
      // Payload 2.0 moves cookies out of the headers into their own array.
      cookies.push(
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${sourceIp}` : sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= String(req.socket.localPort ?? '');

  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawQueryString)) {
    query[k] = k in query ? `${query[k]},${v}` : v;
  }

  const domainName = (headers.host ?? 'localhost').replace(/:\d+$/, '');
  const key = routeKey(route);
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: key,
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0]!,
      http: {
        method: req.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: key,
      stage: '$default',
      time: gatewayTime(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
  // Like API Gateway, absent rather than empty.
  if (cookies.length) event.cookies = cookies;
  if (Object.keys(query).length) event.queryStringParameters = query;
  if (Object.keys(pathParameters).length) event.pathParameters = pathParameters;
  if (body.length) {
    // Bytes that aren't UTF-8 can't travel as text: base64 keeps them exact for the webhook HMAC.
    const textual = isTextual(headers['content-type']) && isUtf8(body);
    event.body = textual ? body.toString('utf8') : body.toString('base64');
    event.isBase64Encoded = !textual;
  }
  return event;
}

/** API Gateway's rules for what a payload 2.0 handler returns. */
function writeResult(res: ServerResponse, result: unknown): void {
  // No statusCode: the whole value is the JSON body of a 200.
  if (result === null || typeof result !== 'object' || !('statusCode' in result)) {
    const body = Buffer.from(typeof result === 'string' ? result : JSON.stringify(result ?? null));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
    return;
  }
  const r = result as APIGatewayProxyStructuredResultV2;
  if (!Number.isInteger(r.statusCode) || r.statusCode! < 100 || r.statusCode! > 599) {
    throw new Error(`handler returned an invalid statusCode: ${String(r.statusCode)}`);
  }
  for (const [name, value] of Object.entries(r.headers ?? {})) res.setHeader(name, String(value));
  if (r.cookies?.length) res.appendHeader('set-cookie', r.cookies);
  const body = r.body === undefined ? Buffer.alloc(0) : Buffer.from(r.body, r.isBase64Encoded ? 'base64' : 'utf8');
  res.setHeader('content-length', body.length);
  res.writeHead(r.statusCode!);
  res.end(body);
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  log: (line: string) => void,
  loadHandler: (fn: FunctionName) => Promise<LambdaHandler>,
): Promise<void> {
  const started = Date.now();
  const requestId = randomUUID();
  res.setHeader('apigw-requestid', requestId);
  res.on('close', () => log(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`));

  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const rawQueryString = q === -1 ? '' : url.slice(q + 1);

  // The member page and the staff console (S3 + CloudFront on AWS).
  if (isPagePath(rawPath)) return servePage(req, res, rawPath);

  // CORS as API Gateway answers it (shared/http/cors.ts): the preflight here, the origin header on every answer.
  res.setHeader('access-control-allow-origin', API_CORS.allowOrigin);
  res.setHeader('access-control-expose-headers', API_CORS.exposeHeaders.join(','));
  if (req.method === 'OPTIONS' && req.headers.origin && req.headers['access-control-request-method']) {
    res.writeHead(204, {
      'access-control-allow-methods': API_CORS.allowMethods.join(','),
      'access-control-allow-headers': API_CORS.allowHeaders.join(','),
      'access-control-max-age': String(API_CORS.maxAgeSeconds),
    });
    res.end();
    return;
  }

  const matches = matchPath(rawPath);
  if (matches.length === 0) {
    return sendError(res, 'NOT_FOUND', `No route for ${rawPath}.`);
  }
  const match = matches.find((m) => m.route.spec.method === req.method);
  if (!match) {
    const allow = [...new Set(matches.map((m) => m.route.spec.method))].sort().join(', ');
    return sendError(res, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${rawPath}.`, { allow });
  }

  const pathParameters: Record<string, string> = {};
  try {
    for (const [k, v] of Object.entries(match.rawParams)) pathParameters[k] = decodeURIComponent(v);
  } catch {
    return sendError(res, 'BAD_REQUEST', 'The request path is not validly percent-encoded.');
  }

  // The size check comes before the handler is even loaded: an oversized body costs nothing.
  const read = await readBody(req, res);
  if (!read.ok) return;

  const route = match.route.spec;
  const event = toEvent({
    req,
    route,
    rawPath,
    rawQueryString,
    pathParameters,
    body: read.body,
    requestId,
    now: new Date(started),
  });
  try {
    const handler = await loadHandler(route.fn);
    const context = lambdaContext(route.fn, FUNCTION_TIMEOUT_MS.route, requestId);
    // Answered only once the handler has settled, never on a timer of ours: an answer
    // while it still runs could be followed by its commit. Lambda would have killed a
    // handler that ran past the timeout; here it says so.
    const result = await handler(event, context);
    if (context.getRemainingTimeInMillis() === 0) {
      console.warn(
        `[loyalty-local] ${routeKey(route)} (${route.fn}) ran past the function's ${FUNCTION_TIMEOUT_MS.route} ms timeout, request ${requestId}: Lambda would have killed it`,
      );
    }
    if (res.destroyed) return;
    writeResult(res, result);
  } catch (err) {
    // Details go to the log only: a stack trace tells a client nothing it should know.
    console.error(`[loyalty-local] ${routeKey(route)} (${route.fn}) failed, request ${requestId}:`, err);
    sendError(res, 'INTERNAL', `Something went wrong on our side (request ${requestId}).`);
  }
}

export async function startServer(options: ServerOptions): Promise<LocalServer> {
  const host = options.host ?? '127.0.0.1';
  const log = options.quiet ? () => {} : (line: string) => console.log(line);
  const server = createServer({ keepAlive: true }, (req, res) => {
    handle(req, res, log, options.loadHandler ?? importHandler).catch((err) => {
      console.error('[loyalty-local] request failed:', err);
      sendError(res, 'INTERNAL', 'Something went wrong on our side.');
    });
  });
  // Longer than clients' idle timeouts (undici: 4 s) so a reused socket isn't closed under them.
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  // `Expect: 100-continue` (curl, for big bodies): without the 100 an oversized body
  // is never sent; routing and readBody then answer 404/405/413 as usual.
  server.on('checkContinue', (req, res) => {
    if (!(Number(req.headers['content-length']) > MAX_BODY_BYTES)) res.writeContinue();
    server.emit('request', req, res);
  });

  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(options.port, host, () => {
      server.off('error', rej);
      res();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      (closing ??= new Promise<void>((res) => {
        const force = setTimeout(() => server.closeAllConnections(), 5000);
        server.close(() => {
          clearTimeout(force);
          res();
        });
        server.closeIdleConnections();
      })),
  };
}
