/**
 * No write leaves for DynamoDB once the invocation's time is nearly up. On
 * Lambda a timed-out invocation is killed and the caller gets an error, so a
 * write sent in the last moments could commit behind that error answer; a
 * write refused here was never sent, so the error answer is the truth.
 *
 * The deadline is the invocation's (Lambda's getRemainingTimeInMillis), set
 * once by the entry point around everything the invocation does, like the
 * capacity meter; the check runs on every attempt the SDK makes.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** A write takes tens of milliseconds; this leaves room for it, its answer and the response to get out. */
export const WRITE_RESERVE_MS = 1_000;

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

const remaining = new AsyncLocalStorage<() => number>();

/** The invocation ran out of time before a write could safely be sent; nothing was written by it. */
export class DeadlineReached extends Error {
  constructor(command: string, left: number) {
    super(`${command} not sent: ${left} ms left of the invocation, under the ${WRITE_RESERVE_MS} ms a write needs`);
    this.name = 'DeadlineReached';
  }
}

/** Runs fn with remainingMs as the deadline of every write it makes. */
export function withWriteDeadline<T>(remainingMs: (() => number) | undefined, fn: () => Promise<T>): Promise<T> {
  return remainingMs ? remaining.run(remainingMs, fn) : fn();
}

export function addWriteDeadline(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = (context as { commandName?: string }).commandName ?? '';
      const left = remaining.getStore()?.();
      if (left !== undefined && WRITES.has(name) && left < WRITE_RESERVE_MS) throw new DeadlineReached(name, left);
      return next(args);
    },
    // Inside the SDK's retries (finalizeRequest, high): each attempt is checked, not only the first.
    { step: 'finalizeRequest', priority: 'low', name: 'loyaltyWriteDeadline' },
  );
}
