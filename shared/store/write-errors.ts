/**
 * How a refused DynamoDB write reads, in one place: a plain write's failed condition,
 * and a transaction's cancellation reasons (one per item, in the order sent).
 */
import { TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';

/** A single write (Put, Update, Delete) whose ConditionExpression was false. */
export const isConditionFailure = (err: unknown) => (err as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';

/** A cancelled transaction's reasons, item by item; undefined for any other error. */
export function cancellationReasons(err: unknown): (CancellationReason | undefined)[] | undefined {
  if (err instanceof TransactionCanceledException) return err.CancellationReasons ?? [];
  if (err && typeof err === 'object' && (err as { name?: string }).name === 'TransactionCanceledException') {
    return (err as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
  }
  return undefined;
}

/** The item's own condition refused it (not a conflict with another transaction). */
export const failedCheck = (r: CancellationReason | undefined) => r?.Code === 'ConditionalCheckFailed';
