/**
 * The one retry loop: bounded attempts, exponential backoff with full jitter
 * (a random wait up to base·2ⁿ⁻¹, capped, so writers that collided spread out
 * instead of colliding again in step), and, where the invocation has a deadline,
 * no wait that would leave less than the reserve: the caller answers in time
 * instead of being killed mid-retry.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** The first retry waits up to this long; each next one up to twice the last. */
  readonly baseMs: number;
  /** No wait is longer than this. */
  readonly capMs: number;
}

export interface RetryDeadline {
  /** The invocation's time left (Lambda's getRemainingTimeInMillis); absent: attempts alone bound the loop. */
  readonly remainingMs?: () => number;
  /** Time that must be left after a wait for another attempt to be worth starting. */
  readonly reserveMs: number;
}

/** What a batch call left unprocessed (DynamoDB's BatchGet/BatchWrite under throttling): sent again, backing off. */
export const UNPROCESSED: RetryPolicy = { attempts: 8, baseMs: 50, capMs: 1_000 };

/** An attempt's answer: try again after a jittered wait. */
export const AGAIN = Symbol('again');
/** Try again at once: the next read already sees what the attempt lost to. */
export const AGAIN_NOW = Symbol('again now');

/** The wait before retry n (1-based): uniform in [0, min(cap, base·2ⁿ⁻¹)). */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  return random() * Math.min(policy.capMs, policy.baseMs * 2 ** (retry - 1));
}

/**
 * Runs attempt until it answers something other than AGAIN / AGAIN_NOW; when the
 * attempts or the time run out first, throws what gaveUp makes.
 */
export async function withRetries<T>(
  policy: RetryPolicy & { readonly deadline?: RetryDeadline },
  attempt: (n: number) => Promise<T | typeof AGAIN | typeof AGAIN_NOW>,
  gaveUp: () => Error,
): Promise<T> {
  for (let n = 1; ; n++) {
    const outcome = await attempt(n);
    if (outcome !== AGAIN && outcome !== AGAIN_NOW) return outcome;
    if (n >= policy.attempts) throw gaveUp();
    if (outcome === AGAIN_NOW) continue;
    const wait = backoffMs(policy, n);
    const left = policy.deadline?.remainingMs?.();
    if (left !== undefined && left - wait < policy.deadline!.reserveMs) throw gaveUp();
    await sleep(wait);
  }
}
