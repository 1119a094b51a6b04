import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { addCapacityMeter } from './capacity-meter';
import { addWriteDeadline } from './write-deadline';

/** DynamoDB's limit on the items of one TransactWriteItems. */
export const TRANSACTION_ITEMS = 100;

export interface StoreClientOptions {
  /** DynamoDB Local; unset on AWS. */
  readonly endpoint?: string;
  /**
   * DynamoDB Local keeps one database per access key id and region: the local club
   * sets the ones its data dir holds (local/club.ts, read through shared/config.ts).
   */
  readonly local?: { readonly region: string; readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** The one way the club talks to DynamoDB: metered, no write past the invocation's deadline, with marshalling the store expects. */
export function createDocumentClient(options: StoreClientOptions = {}): DynamoDBDocumentClient {
  const local = options.local ?? { region: 'us-east-1', accessKeyId: 'local', secretAccessKey: 'local' };
  const client = new DynamoDBClient(
    options.endpoint
      ? {
          endpoint: options.endpoint,
          region: local.region,
          credentials: { accessKeyId: local.accessKeyId, secretAccessKey: local.secretAccessKey },
          maxAttempts: 3,
        }
      : { maxAttempts: 3 },
  );
  addCapacityMeter(client);
  addWriteDeadline(client);
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}
