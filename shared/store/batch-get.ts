/** BatchGet of any keys: 100 per call, unprocessed keys retried with backoff. Order of the answer is not the keys'. */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AGAIN, UNPROCESSED, withRetries } from '../retry';

type Item = Record<string, unknown>;

export async function batchGetItems(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Item[],
  options: { projection?: string; names?: Record<string, string>; consistent?: boolean } = {},
): Promise<Item[]> {
  const found: Item[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Item[] | undefined = keys.slice(i, i + 100);
    await withRetries(
      UNPROCESSED,
      async () => {
        const out = await db.send(
          new BatchGetCommand({
            RequestItems: {
              [tableName]: {
                Keys: pending,
                ...(options.consistent && { ConsistentRead: true }),
                ...(options.projection && { ProjectionExpression: options.projection }),
                ...(options.names && { ExpressionAttributeNames: options.names }),
              },
            },
          }),
        );
        found.push(...(out.Responses?.[tableName] ?? []));
        pending = out.UnprocessedKeys?.[tableName]?.Keys as Item[] | undefined;
        return pending?.length ? AGAIN : undefined;
      },
      () => new Error('BatchGet kept returning unprocessed keys'),
    );
  }
  return found;
}
