import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import { DomainError, ERROR_CATALOG, type ErrorCode, type ErrorDetail, type ErrorEntry } from '../domain/errors';

export const MAX_BODY_BYTES = 256 * 1024;

declare const BODY: unique symbol;

/** An HTTP answer that remembers, in its type only, what its body is (see RouteReply in route-handler.ts). */
export interface Reply<S extends number = number, B = unknown> extends APIGatewayProxyStructuredResultV2 {
  readonly statusCode: S;
  readonly [BODY]?: B;
}

/** The body of a text/html answer (the opt-out page, the Shopify app proxy's page). */
export interface HtmlText {
  readonly html: string;
}

/** The body of a text/csv answer. */
export interface CsvText {
  readonly csv: string;
}

export function json<S extends number, const B>(statusCode: S, body: B, headers: Record<string, string> = {}): Reply<S, B> {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

/** The contract's error body, with the status (and Retry-After) the catalog gives the code. */
export function errorResponse(
  code: ErrorCode,
  message: string,
  details: readonly ErrorDetail[] = [],
  retryAfterSeconds?: number,
): APIGatewayProxyStructuredResultV2 {
  const entry: ErrorEntry = ERROR_CATALOG[code];
  const seconds = retryAfterSeconds ?? entry.retryAfterSeconds;
  const retry: Record<string, string> = seconds === undefined ? {} : { 'retry-after': String(seconds) };
  return json(entry.status, { error: { code, message, details } }, retry);
}

/** zod's issues as the contract's details: where, and what is wrong there. */
export function validationError(error: z.ZodError, where: 'body' | 'query' | 'path'): DomainError {
  const details = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  return new DomainError('VALIDATION_FAILED', `the request ${where} is not valid`, details);
}

const THROTTLES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);

/**
 * Everything a handler can throw, as the answer the caller gets. Only our own
 * faults become 5xx, and they never carry a stack or an internal message.
 */
export function toErrorResponse(err: unknown): { response: APIGatewayProxyStructuredResultV2; unexpected: boolean } {
  if (err instanceof DomainError) {
    return { response: errorResponse(err.code, err.message, err.details, err.retryAfterSeconds), unexpected: false };
  }
  const name = (err as { name?: string } | undefined)?.name ?? '';
  const reasons = (err as { CancellationReasons?: { Code?: string }[] } | undefined)?.CancellationReasons ?? [];
  const throttledTransaction = reasons.some((r) => r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded');
  if (THROTTLES.has(name) || throttledTransaction) {
    return {
      response: errorResponse('THROTTLED', 'the club is busy; retry shortly'),
      unexpected: false,
    };
  }
  if (
    name === 'DeadlineReached' ||
    name === 'TimeoutError' ||
    name === 'RequestTimeout' ||
    name === 'ServiceUnavailable' ||
    name === 'InternalServerError'
  ) {
    return {
      response: errorResponse('UNAVAILABLE', 'the store did not answer in time; retry shortly'),
      unexpected: true,
    };
  }
  return { response: errorResponse('INTERNAL', 'something went wrong on our side; it has been logged'), unexpected: true };
}
