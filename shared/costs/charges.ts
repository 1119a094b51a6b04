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

const current = new AsyncLocalStorage<Charges>();

export function chargeSqsSend(n = 1): void {
  const c = current.getStore();
  if (c) c.sqsSends += n;
}

export function chargeEvents(n: number): void {
  const c = current.getStore();
  if (c) c.eventsPublished += n;
}

const METERED = Symbol('loyalty.meteredWrite');

/**
 * Counts what is written to stdout and stderr into the current invocation's
 * charges (the logger's lines: on Lambda each is a log event CloudWatch Logs
 * ingests). Called by every costed invocation; wraps a stream's write again if
 * something replaced it since (a test's spy being restored).
 */
export function meterLogs(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if ((stream.write as unknown as Record<symbol, boolean>)[METERED]) continue;
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    const metered = (chunk: string | Uint8Array, ...rest: unknown[]) => {
      const c = current.getStore();
      if (c) c.logBytes = (c.logBytes ?? 0) + (typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength);
      return write(chunk, ...rest);
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
