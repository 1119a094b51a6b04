/**
 * Staff search by name, without a Scan: the name index items (keys.ts
 * nameIndexKey) of the query's key word (domain/names.ts nameQueryPlan: the
 * narrowest) are queried by prefix, filtered by the other words, and the
 * members found are read with BatchGet. A request reads at most a budget of
 * index items; when the page is full or the budget spent before the prefix
 * ends, the answer carries a cursor that continues right after the last item
 * read, so every match is reachable, each exactly once.
 */
import { createHash } from 'node:crypto';
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors';
import type { Member } from '../domain/member';
import { answeringEntry, nameMatches, nameQueryPlan, normalizeName } from '../domain/names';
import { isKeyValue, nameIndexKey, nameOfIndexSk, namePk } from './keys';
import { getMembersById } from './member-directory';

/** Index items read at most per search request (cost); the cursor goes on from there. */
export const NAME_SEARCH_READ_CAP = 500;

export interface NameSearchPage {
  readonly items: Member[];
  /** Absent when the prefix has been read to its end. */
  readonly nextCursor?: string;
  /** Index items this request read (what it paid for). */
  readonly read: number;
}

type Plan = NonNullable<ReturnType<typeof nameQueryPlan>>;

/** Binds a position to the query it was handed out for: another query, key or position is refused. */
const seal = (plan: Plan, sk: string) =>
  createHash('sha256')
    .update(`${plan.words.join(' ')}\n${plan.key}\n${sk}`)
    .digest('base64url')
    .slice(0, 22);

export function encodeNameCursor(plan: Plan, sk: string): string {
  return Buffer.from(JSON.stringify({ s: sk, c: seal(plan, sk) })).toString('base64url');
}

/** The sort key to continue after, or a 400 INVALID_CURSOR for a cursor this search did not hand out. */
export function decodeNameCursor(plan: Plan, cursor: string): string {
  let c: { s?: unknown; c?: unknown } | undefined;
  try {
    c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    c = undefined;
  }
  if (c && typeof c === 'object' && isKeyValue(c.s, 'sort') && c.s.startsWith(plan.key) && c.c === seal(plan, c.s)) return c.s;
  throw new DomainError('INVALID_CURSOR', 'cursor is not one this API returned for this name search', [
    { path: 'cursor', message: 'unknown cursor (a cursor only continues the name search that returned it)' },
  ]);
}

/**
 * Does this index item answer the query? Every query word begins a word of the
 * name, and the item is the member's answering entry for the key (one answer
 * per member however many of its words start with the key).
 */
function answers(plan: Plan, item: Record<string, unknown>): boolean {
  const sk = String(item.sk);
  const memberId = String(item.memberId);
  const name = typeof item.name === 'string' ? item.name : undefined;
  if (!name) return nameMatches(nameOfIndexSk(sk), plan.words);
  if (!nameMatches(normalizeName(name), plan.words)) return false;
  const entry = answeringEntry(name, plan.key);
  return entry !== undefined && nameIndexKey(entry, memberId).sk === sk;
}

export class DynamoNameSearch {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Members whose name has a word starting with each query word, in index order: at most `limit`, then a cursor. */
  async find(query: string, page: { limit: number; cursor?: string; readBudget?: number }): Promise<NameSearchPage> {
    const plan = nameQueryPlan(query);
    if (!plan) return { items: [], read: 0 };
    const budget = Math.max(1, page.readBudget ?? NAME_SEARCH_READ_CAP);
    const pk = namePk(plan.key);
    const ids: string[] = [];
    let read = 0;
    let after = page.cursor ? decodeNameCursor(plan, page.cursor) : undefined;
    let next: string | undefined;
    for (;;) {
      const out: QueryCommandOutput = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeNames: { '#n': 'name' },
          ExpressionAttributeValues: { ':pk': pk, ':prefix': plan.key },
          // Reads are charged by the items' size, not the projection; this only trims the transfer.
          ProjectionExpression: 'sk, memberId, #n',
          ConsistentRead: true,
          Limit: Math.min(100, budget - read),
          ExclusiveStartKey: after === undefined ? undefined : { pk, sk: after },
        }),
      );
      const items = out.Items ?? [];
      read += items.length;
      let full = false;
      for (const [i, item] of items.entries()) {
        after = String(item.sk);
        if (answers(plan, item) && !ids.includes(String(item.memberId))) ids.push(String(item.memberId));
        if (ids.length >= page.limit) {
          full = true;
          // More may follow unless this was the prefix's very last item.
          if (i < items.length - 1 || out.LastEvaluatedKey) next = after;
          break;
        }
      }
      if (full) break;
      if (!out.LastEvaluatedKey) break;
      after = String(out.LastEvaluatedKey.sk);
      if (read >= budget) {
        next = after;
        break;
      }
    }
    return {
      items: await getMembersById(this.db, this.tableName, ids),
      ...(next !== undefined && { nextCursor: encodeNameCursor(plan, next) }),
      read,
    };
  }
}
