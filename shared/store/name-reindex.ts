/**
 * Backfill of the name index (job reindex-names, docs/data-model.md): walks
 * the member directory (MEMBERS#00..15, as the staff export does; no Scan), a
 * page of members at a time, reads which of their name index items exist, and
 * puts only the missing (or stale) ones. A member whose index is current gets
 * no write. Each member's puts are one transaction with a check that the name
 * is still the one read, so a rename meanwhile (which writes its own items)
 * is never undone by an old name's items.
 */
import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { nameIndexEntries } from '../domain/names';
import { batchGetItems } from './batch-get';
import { MEMBER_DIRECTORY_SHARDS, memberDirectoryPk, memberKey, nameIndexKey } from './keys';
import { cancellationReasons, failedCheck } from './write-errors';

type Item = Record<string, unknown>;

/** Where a walk of the directory is: a shard, and the last member id done in it. */
export interface DirectoryPosition {
  readonly shard: number;
  readonly after?: string;
}

export interface ReindexPage {
  /** Members the page read from the directory. */
  readonly members: number;
  /** Members that were missing index items and got them. */
  readonly indexed: number;
  /** Index items put. */
  readonly itemsPut: number;
  /** Members renamed between the read and the write (their rename wrote their items). */
  readonly renamedMeanwhile: number;
  readonly failed: number;
  readonly errors: string[];
  /** Absent: the directory's end. */
  readonly next?: DirectoryPosition;
}

export interface NameReindexStore {
  /** stop: asked before each member's write; true ends the page early, with `next` right after the last member written. */
  reindexPage(from: DirectoryPosition, limit: number, stop?: () => boolean): Promise<ReindexPage>;
}

const CONCURRENCY = 8;

const keyOf = (i: Item) => `${String(i.pk)}\n${String(i.sk)}`;

export class DynamoNameReindexStore implements NameReindexStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reindexPage(from: DirectoryPosition, limit: number, stop: () => boolean = () => false): Promise<ReindexPage> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: from.after ? 'pk = :pk AND sk > :after' : 'pk = :pk',
        ExpressionAttributeValues: { ':pk': memberDirectoryPk(from.shard), ...(from.after && { ':after': from.after }) },
        ProjectionExpression: 'sk',
        Limit: limit,
      }),
    );
    const ids = (out.Items ?? []).map((i) => String(i.sk));
    const next: DirectoryPosition | undefined = out.LastEvaluatedKey
      ? { shard: from.shard, after: String(out.LastEvaluatedKey.sk) }
      : from.shard + 1 < MEMBER_DIRECTORY_SHARDS
        ? { shard: from.shard + 1 }
        : undefined;

    // The members' names (eventually consistent reads: each write is checked against the name it used).
    const members = await batchGetItems(this.db, this.tableName, ids.map(memberKey), {
      projection: 'memberId, #n',
      names: { '#n': 'name' },
    });
    const wanted = members.flatMap((m) => {
      const name = typeof m.name === 'string' ? m.name : undefined;
      const items = nameIndexEntries(name).map((entry) => ({
        ...nameIndexKey(entry, String(m.memberId)),
        itemType: 'name-index',
        memberId: String(m.memberId),
        name,
      }));
      return items.length ? [{ memberId: String(m.memberId), name: name!, items }] : [];
    });
    const existing = await batchGetItems(
      this.db,
      this.tableName,
      wanted.flatMap((w) => w.items.map((i) => ({ pk: i.pk, sk: i.sk }))),
      { projection: 'pk, sk, #n', names: { '#n': 'name' } },
    );
    const current = new Map(existing.map((i) => [keyOf(i), i.name]));
    // Missing, or written for another spelling of the same words (a rename keeps the key, not the display name).
    const work = wanted
      .map((w) => ({ ...w, items: w.items.filter((i) => current.get(keyOf(i)) !== w.name) }))
      .filter((w) => w.items.length > 0)
      // In directory order, so the members written when a stop comes are the ones up to a position.
      .sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));

    let indexed = 0;
    let itemsPut = 0;
    let renamedMeanwhile = 0;
    let failed = 0;
    const errors: string[] = [];
    let cursor = 0;
    let stopped = false;
    const worker = async () => {
      while (cursor < work.length && !(stopped ||= stop())) {
        const w = work[cursor++]!;
        try {
          await this.db.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  ConditionCheck: {
                    TableName: this.tableName,
                    Key: memberKey(w.memberId),
                    ConditionExpression: '#n = :name',
                    ExpressionAttributeNames: { '#n': 'name' },
                    ExpressionAttributeValues: { ':name': w.name },
                  },
                },
                ...w.items.map((Item) => ({ Put: { TableName: this.tableName, Item } })),
              ],
            }),
          );
          indexed += 1;
          itemsPut += w.items.length;
        } catch (err) {
          if (failedCheck(cancellationReasons(err)?.[0])) renamedMeanwhile += 1;
          else {
            failed += 1;
            if (errors.length < 5) errors.push(`${w.memberId}: ${(err as Error).message}`);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, work.length) }, worker));
    if (cursor < work.length) {
      // Stopped: members before the first one not written needed nothing or were written.
      const resumeAt = work[cursor]!.memberId;
      const done = ids.filter((id) => id < resumeAt).length;
      const after = done > 0 ? ids[done - 1] : from.after;
      return {
        members: done,
        indexed,
        itemsPut,
        renamedMeanwhile,
        failed,
        errors,
        next: { shard: from.shard, ...(after !== undefined && { after }) },
      };
    }
    return { members: ids.length, indexed, itemsPut, renamedMeanwhile, failed, errors, next };
  }
}
