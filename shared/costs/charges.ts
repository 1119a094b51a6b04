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

/** Runs fn collecting its charges. */
export async function charged<T>(fn: () => Promise<T>, charges: Charges): Promise<T> {
  return current.run(charges, fn);
}

/** Runs fn outside the caller's charges (a separate invocation the local runtime happens to run inline). */
export function outsideCharges<T>(fn: () => T): T {
  return current.exit(fn);
}
