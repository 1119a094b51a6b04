/**
 * Staff search by name, without a Scan: the name index items (keys.ts
 * nameIndexKey) of the query's first word are queried by prefix, filtered by
 * the other words, and the members found are read with BatchGet.
 */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Member } from '../domain/member';
import { nameMatches, nameQueryPlan } from '../domain/names';
import { nameOfIndexSk, namePk } from './keys';
import { getMembersById } from './member-directory';

/** Index items read at most per search: a short prefix in a big club stops here (say more letters). */
export const NAME_SEARCH_READ_CAP = 500;

export class DynamoNameSearch {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Members whose name has a word starting with each query word, in index order, at most `limit`. */
  async find(query: string, limit: number): Promise<Member[]> {
    const plan = nameQueryPlan(query);
    if (!plan) return [];
    const ids: string[] = [];
    let read = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out: QueryCommandOutput = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': namePk(plan.key), ':prefix': plan.key },
          ProjectionExpression: 'sk, memberId',
          ConsistentRead: true,
          Limit: Math.min(100, NAME_SEARCH_READ_CAP - read),
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) {
        const memberId = String(item.memberId);
        // A member with two words starting alike ("sara saberi") has two items: one answer.
        if (ids.length < limit && !ids.includes(memberId) && nameMatches(nameOfIndexSk(String(item.sk)), plan.words)) ids.push(memberId);
      }
      read += out.Items?.length ?? 0;
      start = out.LastEvaluatedKey;
    } while (start && ids.length < limit && read < NAME_SEARCH_READ_CAP);
    return getMembersById(this.db, this.tableName, ids);
  }
}
