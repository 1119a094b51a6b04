import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { addCapacityMeter } from './capacity-meter';
import { addWriteDeadline } from './write-deadline';

export interface StoreClientOptions {
  /** DynamoDB Local; unset on AWS. */
  readonly endpoint?: string;
}

/** The one way the club talks to DynamoDB: metered, no write past the invocation's deadline, with marshalling the store expects. */
export function createDocumentClient(options: StoreClientOptions = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient(
    options.endpoint
      ? {
          endpoint: options.endpoint,
          region: process.env.AWS_REGION ?? 'us-east-1',
          // DynamoDB Local keeps one database per access key id: the local club sets the
          // one its data dir holds (local/club.ts).
          credentials: {
            accessKeyId: process.env.AWS_ACCESS_KEY_ID || 'local',
            secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY || 'local',
          },
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
