import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { DomainError, type ErrorDetail } from '../domain/errors';

export const MAX_BODY_BYTES = 256 * 1024;

declare const BODY: unique symbol;

/** An HTTP answer that remembers, in its type only, what its body is (see RouteReply in route-handler.ts). */
export interface Reply<S extends number = number, B = unknown> extends APIGatewayProxyStructuredResultV2 {
  readonly statusCode: S;
  readonly [BODY]?: B;
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

export function errorResponse(
  status: number,
  code: string,
  message: string,
  details: readonly ErrorDetail[] = [],
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return json(status, { error: { code, message, details } }, headers);
}

/** zod's issues as the contract's details: where, and what is wrong there. */
export function validationError(error: z.ZodError, where: 'body' | 'query' | 'path'): DomainError {
  const details = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  return new DomainError('VALIDATION_FAILED', 400, `the request ${where} is not valid`, details);
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
    const retry: Record<string, string> = err.retryAfterSeconds === undefined ? {} : { 'retry-after': String(err.retryAfterSeconds) };
    return { response: errorResponse(err.status, err.code, err.message, err.details, retry), unexpected: false };
  }
  const name = (err as { name?: string } | undefined)?.name ?? '';
  const reasons = (err as { CancellationReasons?: { Code?: string }[] } | undefined)?.CancellationReasons ?? [];
  const throttledTransaction = reasons.some((r) => r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded');
  if (THROTTLES.has(name) || throttledTransaction) {
    return {
      response: errorResponse(503, 'THROTTLED', 'the club is busy; retry shortly', [], { 'retry-after': '1' }),
      unexpected: false,
    };
  }
  if (name === 'DeadlineReached' || name === 'TimeoutError' || name === 'RequestTimeout' || name === 'ServiceUnavailable' || name === 'InternalServerError') {
    return {
      response: errorResponse(503, 'UNAVAILABLE', 'the store did not answer in time; retry shortly', [], { 'retry-after': '1' }),
      unexpected: true,
    };
  }
  return { response: errorResponse(500, 'INTERNAL', 'something went wrong on our side; it has been logged'), unexpected: true };
}
