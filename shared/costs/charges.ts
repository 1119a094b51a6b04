/**
 * Billed requests an invocation makes besides DynamoDB: SQS SendMessage and
 * EventBridge PutEvents entries. The code that makes them calls chargeSqsSend /
 * chargeEvents; the invocation's cost wrapper (shared/costs/record.ts) reads
 * the totals. Outside a wrapper they are ignored. Light on purpose: the events
 * publisher and the webhook queue import it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Charges {
  sqsSends: number;
  eventsPublished: number;
  /** Bytes the invocation wrote to stdout and stderr: its log lines, which CloudWatch Logs bills by ingestion. */
  logBytes?: number;
}

/**
 * One per process however often this module is loaded (a test that resets its modules loads it
 * again): stdout and stderr are the process's, so their meter, the charges it counts into and
 * whether a write is being counted are too. A second copy finds the first's meter and counts into
 * the same invocation's charges, instead of wrapping the streams again and counting twice.
 */
const perProcess = ((globalThis as Record<symbol, unknown>)[Symbol.for('loyalty.charges')] ??= {
  current: new AsyncLocalStorage<Charges>(),
  counting: false,
}) as { readonly current: AsyncLocalStorage<Charges>; counting: boolean };
const current = perProcess.current;

export function chargeSqsSend(n = 1): void {
  const c = current.getStore();
  if (c) c.sqsSends += n;
}

export function chargeEvents(n: number): void {
  const c = current.getStore();
  if (c) c.eventsPublished += n;
}

const METERED = Symbol.for('loyalty.meteredWrite');

/**
 * Counts what is written to stdout and stderr into the current invocation's
 * charges (the logger's lines: on Lambda each is a log event CloudWatch Logs
 * ingests). Called by every costed invocation; wraps a stream's write again if
 * something replaced it since (a test's spy), and a write that passes through
 * two meters that way is counted once.
 */
export function meterLogs(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if ((stream.write as unknown as Record<symbol, boolean>)[METERED]) continue;
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    const metered = (chunk: string | Uint8Array, ...rest: unknown[]) => {
      // Already counted by a meter around this one (wrapped again over a test's spy): once is enough.
      if (perProcess.counting) return write(chunk, ...rest);
      const c = current.getStore();
      if (c) c.logBytes = (c.logBytes ?? 0) + (typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength);
      perProcess.counting = true;
      try {
        return write(chunk, ...rest);
      } finally {
        perProcess.counting = false;
      }
    };
    Object.defineProperty(metered, METERED, { value: true });
    stream.write = metered as typeof stream.write;
  }
}

/** Runs fn collecting its charges. */
export async function charged<T>(fn: () => Promise<T>, charges: Charges): Promise<T> {
  return current.run(charges, fn);
}

/** Runs fn outside the caller's charges (a separate invocation the local runtime happens to run inline). */
export function outsideCharges<T>(fn: () => T): T {
  return current.exit(fn);
}
