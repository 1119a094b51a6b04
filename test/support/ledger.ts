import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import type { TestClub } from './club';

/** Every ledger entry of a member straight from the table, oldest first. */
export async function rawLedger(client: DynamoDBDocumentClient, tableName: string, memberId: string) {
  const items: Record<string, any>[] = [];
  let start: Record<string, any> | undefined;
  do {
    const out = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1-ledger',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `MEMBER#${memberId}` },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The club's central promise: balance == sum of the ledger, lots == positive balance, seq == entries. */
export async function expectBalanceMatchesLedger(club: TestClub, memberId: string): Promise<number> {
  const member = await club.api('GET', `/v1/members/${memberId}`);
  expect(member.status).toBe(200);
  const entries = await rawLedger(club.client, club.tableName, memberId);
  const sum = entries.reduce((s, e) => s + e.points, 0);
  expect(member.body.balance).toBe(sum);
  const lots = member.body.expiring.reduce((s: number, l: { points: number }) => s + l.points, 0) + member.body.pointsNeverExpiring;
  expect(lots).toBe(Math.max(sum, 0));
  // balanceAfter chains: each entry's balanceAfter = previous + points.
  let running = 0;
  for (const e of entries) {
    running += e.points;
    expect(e.balanceAfter).toBe(running);
  }
  return sum;
}

let counter = 0;
export const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
