/**
 * The CLI's HTTP client: the bearer token on every call, JSON in and out, and
 * patience with a busy club: 503 THROTTLED/UNAVAILABLE, 429, 502, 504 and
 * dropped connections are retried, after Retry-After when the club sends one.
 * Every call the CLI retries is idempotent (enrolment by identity, adjustments
 * and job runs by key), so a retry never adds anything twice.
 */
import type { ErrorCode } from '../shared/domain/errors';

export interface ApiError {
  readonly code: string;
  readonly message: string;
  readonly details: { path?: string; message: string }[];
}

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

export interface ApiOptions {
  readonly url: string;
  readonly token: string;
  /** Attempts per call before the last answer (or error) is returned. @default 8 */
  readonly attempts?: number;
  /** Longest wait between attempts, ms. @default 10_000 */
  readonly maxDelayMs?: number;
  /** Told about each retry (the progress line shows them). */
  readonly onRetry?: (why: string, delayMs: number) => void;
  /** Sees every answer's headers (the benchmark reads x-loyalty-capacity). */
  readonly onResponse?: (headers: Headers, status: number) => void;
}

const RETRY_STATUS = new Set([429, 502, 503, 504]);

export class ClubApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The contract's error body, or a stand-in for an answer that isn't one. */
export function errorOf(res: ApiResponse): ApiError {
  const e = (res.body as { error?: ApiError } | null)?.error;
  if (e && typeof e.code === 'string')
    return { code: e.code, message: String(e.message ?? ''), details: Array.isArray(e.details) ? e.details : [] };
  return { code: `HTTP_${res.status}`, message: typeof res.body === 'string' ? res.body.slice(0, 200) : `HTTP ${res.status}`, details: [] };
}

export class ClubApi {
  readonly url: string;
  private readonly token: string;
  private readonly attempts: number;
  private readonly maxDelayMs: number;
  private readonly onRetry?: ApiOptions['onRetry'];
  private readonly onResponse?: ApiOptions['onResponse'];
  /** Retries so far (throttling included), for the summary. */
  retries = 0;

  constructor(options: ApiOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.token = options.token;
    this.attempts = options.attempts ?? 8;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
    this.onRetry = options.onRetry;
    this.onResponse = options.onResponse;
  }

  // biome-ignore lint/suspicious/noExplicitAny: a caller names the answer's type; one that doesn't reads the JSON loosely
  get<T = any>(path: string): Promise<ApiResponse<T>> {
    return this.call<T>('GET', path);
  }

  // biome-ignore lint/suspicious/noExplicitAny: as get()
  post<T = any>(path: string, body: unknown = {}): Promise<ApiResponse<T>> {
    return this.call<T>('POST', path, body);
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(this.url + path, {
          method,
          headers: {
            authorization: `Bearer ${this.token}`,
            ...(body !== undefined && { 'content-type': 'application/json' }),
            'user-agent': 'loyalty-cli',
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (err) {
        const why = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
        if (attempt >= this.attempts) throw new ClubApiError(`${method} ${this.url}${path} failed: ${why}`);
        await this.pause(`${why}`, backoff(attempt, this.maxDelayMs));
        continue;
      }
      const text = await res.text();
      this.onResponse?.(res.headers, res.status);
      const parsed = bodyOf(text);
      if (RETRY_STATUS.has(res.status) && attempt < this.attempts) {
        const after = Number(res.headers.get('retry-after'));
        const delay = Number.isFinite(after) && after > 0 ? Math.min(after * 1000, this.maxDelayMs) : backoff(attempt, this.maxDelayMs);
        await this.pause(`${res.status} ${errorOf({ status: res.status, body: parsed }).code}`, delay);
        continue;
      }
      return { status: res.status, body: parsed as T };
    }
  }

  private async pause(why: string, ms: number): Promise<void> {
    this.retries++;
    this.onRetry?.(why, ms);
    await new Promise((r) => setTimeout(r, ms));
  }
}

/** JSON when it is JSON (the contract's answers), else the text (a proxy's error page); null when empty. */
function bodyOf(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Exponential with jitter: 250 ms, 500 ms, 1 s … up to the cap. */
function backoff(attempt: number, cap: number): number {
  const base = Math.min(cap, 250 * 2 ** (attempt - 1));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/** Stops the CLI with the club's own words when a call fails outright (401, unknown route…). */
export function fail(res: ApiResponse, what: string): never {
  const e = errorOf(res);
  const hint =
    res.status === 401
      ? ' (check --token / LOYALTY_TOKEN; the local club prints its token and keeps it in .loyalty-data/api-token)'
      : res.status === 404 && e.code === ('NOT_FOUND' satisfies ErrorCode)
        ? ' (this club does not have that route yet: is it an older version?)'
        : '';
  throw new ClubApiError(`${what}: ${res.status} ${e.code}: ${e.message}${hint}`, res.status);
}
