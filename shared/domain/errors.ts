/**
 * Every refusal the club can answer, and the one status each carries. A rule
 * names a code; it never picks a status, so one code means one thing and
 * answers one way wherever it is thrown. The HTTP layer maps a DomainError to
 * the contract's error shape; the OpenAPI reference and docs/api.md's error
 * table are written from (and tested against) this catalog.
 */
export interface ErrorDetail {
  readonly path?: string;
  readonly message: string;
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 422 | 429 | 500 | 503;

export interface ErrorEntry {
  readonly status: ErrorStatus;
  /** One line: when the club answers it. */
  readonly title: string;
  /** Busy answers: when the caller may send the same request again (the Retry-After header). */
  readonly retryAfterSeconds?: number;
  /**
   * Where the code is answered when not by every deployed route: `local` only by
   * `npm start`'s own server (API Gateway answers those itself), `jobs` never over
   * HTTP (a job skips the item). The API reference leaves both out.
   */
  readonly where?: 'local' | 'jobs';
}

export const ERROR_CATALOG = {
  // 400: the request itself is malformed.
  VALIDATION_FAILED: {
    status: 400,
    title:
      'body, query or path fails its schema (every problem in details); also a program edit with no version, a report window with from after to or over 1,000 buckets, a code use or portal redemption with no key',
  },
  OPT_OUT_LINK_INVALID: { status: 400, title: 'an opt-out link that is forged or malformed (nothing is changed)' },
  CONTACT_CODE_INVALID: {
    status: 400,
    title: 'a code confirming a new email or phone that is wrong, expired, already used or dead after 5 wrong tries (nothing is changed)',
  },
  MALFORMED_JSON: { status: 400, title: 'the body is not JSON' },
  INVALID_CURSOR: { status: 400, title: 'a cursor this list did not give out' },
  INVALID_CONTINUATION: { status: 400, title: 'a job continuation that job did not return' },
  BAD_REQUEST: { status: 400, title: 'locally: a path that is not validly percent-encoded', where: 'local' },
  // 401: no, or bad, credentials.
  UNAUTHORIZED: {
    status: 401,
    title: 'no, malformed or wrong bearer token; a webhook signature missing or not matching, or no secret configured',
  },
  PORTAL_LINK_INVALID: { status: 401, title: 'a portal token that is forged, or whose member is gone' },
  PORTAL_LINK_EXPIRED: { status: 401, title: 'a portal token past its expiry' },
  PORTAL_LINK_REVOKED: { status: 401, title: 'a portal token issued before its links were withdrawn' },
  SIGN_IN_CODE_INVALID: {
    status: 401,
    title:
      'a sign-in code that is wrong, expired, already used or dead after 5 wrong tries (the same answer whether or not a member has the phone or email)',
  },
  PROXY_SIGNATURE_INVALID: {
    status: 401,
    title: 'a Shopify app proxy request whose signature is missing, wrong or over 5 minutes old, or SHOPIFY_APP_SECRET is not set',
  },
  // 403: the caller is known, but its role does not cover the route.
  FORBIDDEN: { status: 403, title: 'the staff role does not cover the route, or a Cognito user is in no staff group' },
  // 404: the thing named does not exist.
  NOT_FOUND: { status: 404, title: 'no such route' },
  MEMBER_NOT_FOUND: { status: 404, title: 'no such member' },
  ORDER_NOT_FOUND: { status: 404, title: 'a refund for an order that earned nothing' },
  REWARD_NOT_FOUND: { status: 404, title: 'no such reward in the catalog (or not offered to this member, on /v1/me/redeem)' },
  CODE_NOT_FOUND: { status: 404, title: 'no such reward code' },
  DELIVERY_NOT_FOUND: { status: 404, title: 'no such failed (or dismissed) delivery' },
  JOB_NOT_FOUND: { status: 404, title: 'no such job' },
  SHOP_SYNC_NOT_FOUND: { status: 404, title: 'no such push of a reward code to a shop' },
  // 405
  METHOD_NOT_ALLOWED: {
    status: 405,
    title: 'locally: the path exists, but not with this method (the Allow header lists the methods it takes)',
    where: 'local',
  },
  // 409: a conflict with the state of the club; the same request may succeed once that state changes.
  ALREADY_EXISTS: {
    status: 409,
    title: 'the memberId, email, phone or external id belongs to another member; the order earned for another member',
  },
  INSUFFICIENT_POINTS: { status: 409, title: 'a redemption or negative adjustment larger than the balance' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, title: 'a redemption or adjustment key reused for a different request' },
  ORDER_MEMBER_MISMATCH: { status: 409, title: "a refund names another member than the order's" },
  OUT_OF_STOCK: { status: 409, title: 'the reward has no codes left' },
  REWARD_LIMIT_REACHED: { status: 409, title: 'the member has redeemed this reward as often as it allows' },
  ALREADY_IN_TIER: { status: 409, title: 'a tier-up reward to a tier the member already holds (or one below it)' },
  CODE_ALREADY_USED: { status: 409, title: 'the reward code was used by another order' },
  CODE_EXPIRED: { status: 409, title: 'the reward code has expired' },
  CODE_CANCELLED: { status: 409, title: 'the reward code was cancelled and its points given back' },
  VERSION_CONFLICT: { status: 409, title: 'the program changed since the version the edit started from' },
  PILOT_NOT_ENABLED: { status: 409, title: 'launching a program that is not running as a pilot' },
  REPLAY_IN_PROGRESS: { status: 409, title: 'another request is replaying the delivery; list it again in a moment' },
  NOTHING_DUE: { status: 409, title: 'inside the jobs only: the points or code have nothing left to expire or give back', where: 'jobs' },
  NOTHING_PENDING: { status: 409, title: 'inside the jobs only: the order holds no pending points to release', where: 'jobs' },
  // 413
  PAYLOAD_TOO_LARGE: { status: 413, title: 'the body is over 256 KiB' },
  // 422: well-formed, but the program does not allow it.
  CURRENCY_MISMATCH: {
    status: 422,
    title: "an order or refund in a currency the program doesn't take, or a refund not in the order's currency",
  },
  AMOUNT_TOO_LARGE: { status: 422, title: 'an order too large to price in points' },
  REWARD_PRICE_MISMATCH: { status: 422, title: "points is not the reward's price" },
  REWARD_NOT_AVAILABLE: {
    status: 422,
    title: "outside the reward's availability dates, or the reward is for other tiers than the member's",
  },
  REPLAY_FAILED: { status: 422, title: "a replayed delivery still can't be applied (its reason is in details)" },
  // 429
  TOO_MANY_REQUESTS: {
    status: 429,
    title:
      'too many sign-ins or code checks for one phone or email, or from one client; retry after Retry-After (seconds left in the window)',
    retryAfterSeconds: 900,
  },
  // 5xx: ours, never the caller's mistake.
  INTERNAL: { status: 500, title: 'a fault of ours: it is logged, and the answer never carries internals' },
  CONCURRENT_UPDATE: {
    status: 503,
    title: 'the member kept changing under the request; nothing was written, retry after Retry-After',
    retryAfterSeconds: 1,
  },
  THROTTLED: { status: 503, title: 'DynamoDB throttled the request; retry after Retry-After', retryAfterSeconds: 1 },
  UNAVAILABLE: { status: 503, title: 'the store did not answer in time; retry after Retry-After', retryAfterSeconds: 1 },
  QUEUE_UNAVAILABLE: { status: 503, title: 'a webhook delivery could not be queued; send it again' },
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export const ERROR_CODES = Object.keys(ERROR_CATALOG) as ErrorCode[];

/**
 * Why a webhook delivery was parked for staff instead of applied. These are
 * reasons listed by GET /v1/admin/deliveries, never HTTP answers; a delivery
 * refused by a club rule is parked under that rule's ErrorCode instead.
 */
export const PARK_REASONS = {
  MALFORMED_PAYLOAD: 'the body is not JSON, or not the shape its topic sends',
  UNKNOWN_TOPIC: 'a topic the club does not handle',
  TOPIC_MISMATCH: 'the body is for another topic than its header says',
  NO_CUSTOMER: 'the delivery names no customer id and no email: no member to credit',
  MALFORMED_ENVELOPE: 'the queue message is not a webhook envelope',
  INTERNAL_ERROR: 'applying it failed on our side (retried first)',
} as const satisfies Record<string, string>;

export type ParkReason = keyof typeof PARK_REASONS;

export class DomainError extends Error {
  /** Decided by the catalog, never by the thrower. */
  readonly status: ErrorStatus;
  /** For a busy answer: when the caller may try again (the Retry-After header). */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    /** A busy answer that knows better than the catalog when to come back (a rate window's end). */
    retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
    const entry: ErrorEntry = ERROR_CATALOG[code];
    this.status = entry.status;
    const retry = entry.retryAfterSeconds === undefined ? undefined : (retryAfterSeconds ?? entry.retryAfterSeconds);
    if (retry !== undefined) this.retryAfterSeconds = retry;
  }
}

export const notFound = (what: string, id: string, code: ErrorCode = 'NOT_FOUND') => new DomainError(code, `${what} ${id} does not exist`);

/**
 * The member's record kept changing under the request until its time ran out.
 * Nothing was written, so the same request (same idempotency key) may simply
 * be sent again: a 503 with Retry-After, never a 5xx of ours.
 */
export const concurrentUpdate = (message: string) => new DomainError('CONCURRENT_UPDATE', message);
