/**
 * A refusal the club explains to its caller. The HTTP layer maps it to the
 * contract's error shape; nothing below the HTTP layer knows about status codes
 * except this one number each rule picks.
 */
export interface ErrorDetail {
  readonly path?: string;
  readonly message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    /** For a 503: when the caller may try again (the Retry-After header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: string, code = 'NOT_FOUND') =>
  new DomainError(code, 404, `${what} ${id} does not exist`);

/**
 * The member's record kept changing under the request until its time ran out.
 * Nothing was written, so the same request (same idempotency key) may simply
 * be sent again: a 503 with Retry-After, never a 5xx of ours.
 */
export const concurrentUpdate = (message: string) => new DomainError('CONCURRENT_UPDATE', 503, message, [], 1);
