/**
 * Every member, page by page, without a Scan: the directory items written at
 * enrolment (keys.ts memberDirectoryKey) are queried shard by shard, and the
 * members of a page are read with BatchGet. The cursor names the shard and the
 * last member id; it is opaque to clients and checked on the way back.
 */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors';
import type { Member } from '../domain/member';
import { batchGetItems } from './batch-get';
import { toMember } from './dynamo-club-store';
import { isKeyValue, MEMBER_DIRECTORY_SHARDS, memberDirectoryPk, memberKey } from './keys';

export interface MemberDirectoryPage {
  readonly items: Member[];
  readonly nextCursor?: string;
}

export interface MemberDirectory {
  list(page: { limit: number; cursor?: string }): Promise<MemberDirectoryPage>;
}

interface Position {
  readonly shard: number;
  /** The last member id returned in that shard; none: from the shard's start. */
  readonly after?: string;
}

export function encodeDirectoryCursor(p: Position): string {
  return Buffer.from(JSON.stringify({ d: p.shard, a: p.after })).toString('base64url');
}

const isPosition = (c: { d?: unknown; a?: unknown }) =>
  typeof c.d === 'number' &&
  Number.isInteger(c.d) &&
  c.d >= 0 &&
  c.d < MEMBER_DIRECTORY_SHARDS &&
  (c.a === undefined || isKeyValue(c.a, 'sort'));

/** A cursor this route handed out, or a 400 INVALID_CURSOR. */
export function decodeDirectoryCursor(cursor: string): Position {
  let c: { d?: unknown; a?: unknown } | undefined;
  try {
    c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    c = undefined;
  }
  if (c && typeof c === 'object' && isPosition(c)) return { shard: c.d as number, after: c.a as string | undefined };
  throw new DomainError('INVALID_CURSOR', 'cursor is not one this API returned for the member list', [
    { path: 'cursor', message: 'unknown cursor' },
  ]);
}

export class DynamoMemberDirectory implements MemberDirectory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(page: { limit: number; cursor?: string }): Promise<MemberDirectoryPage> {
    let pos: Position | undefined = page.cursor ? decodeDirectoryCursor(page.cursor) : { shard: 0 };
    const ids: string[] = [];
    // Fill the page from as many shards as it takes; an empty shard costs one small Query.
    while (pos && ids.length < page.limit) {
      const out: QueryCommandOutput = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: pos.after ? 'pk = :pk AND sk > :after' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': memberDirectoryPk(pos.shard), ...(pos.after && { ':after': pos.after }) },
          ProjectionExpression: 'sk',
          Limit: page.limit - ids.length,
        }),
      );
      const got = (out.Items ?? []).map((i) => String(i.sk));
      ids.push(...got);
      if (out.LastEvaluatedKey) pos = { shard: pos.shard, after: String(out.LastEvaluatedKey.sk) };
      else pos = pos.shard + 1 < MEMBER_DIRECTORY_SHARDS ? { shard: pos.shard + 1 } : undefined;
    }
    return { items: await getMembersById(this.db, this.tableName, ids), nextCursor: pos ? encodeDirectoryCursor(pos) : undefined };
  }
}

/** Members by id, in the order asked (the name search reads them too). */
export async function getMembersById(db: DynamoDBDocumentClient, tableName: string, ids: readonly string[]): Promise<Member[]> {
  const found = new Map<string, Member>();
  for (const item of await batchGetItems(db, tableName, ids.map(memberKey))) {
    const m = toMember(item);
    found.set(m.memberId, m);
  }
  return ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
}
