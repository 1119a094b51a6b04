import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

/** A table stream record as Lambda hands it over: images in DynamoDB's attribute-value form. */
export function streamRecord(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  next?: Record<string, unknown>,
  prev?: Record<string, unknown>,
  seenAt?: string,
): DynamoDBRecord {
  return {
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: '100',
      ...(seenAt && { ApproximateCreationDateTime: Date.parse(seenAt) / 1000 }),
      ...(next && { NewImage: marshall(next, { removeUndefinedValues: true }) as never }),
      ...(prev && { OldImage: marshall(prev, { removeUndefinedValues: true }) as never }),
    },
  };
}
