/**
 * The program document in the one table: PROGRAM/CURRENT is what runs,
 * PROGRAM/V#<n> every version ever saved (append-only). A save is one
 * transaction conditioned on the version it was edited from, so two staff
 * editing at once can't overwrite each other: the second gets a conflict.
 */
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Program } from '../domain/program';
import { PROGRAM_PK, PROGRAM_VERSION_PREFIX, programCurrentKey, programVersionKey } from './keys';

export interface ProgramPage {
  readonly items: Program[];
  /** The version to continue below, when there are older ones. */
  readonly nextCursor?: string;
}

export interface ProgramStore {
  /** The running program, or undefined when the store never saved one (the default runs). */
  current(): Promise<Program | undefined>;
  /**
   * Saves `next` (version = expected + 1) if the running version is still `expected`;
   * `initial` is the default program, recorded as version 1 on the first save.
   */
  save(next: Program, expected: number, initial: Program): Promise<'saved' | 'stale'>;
  versions(page: { limit: number; before?: number }): Promise<ProgramPage>;
}

type Item = Record<string, unknown>;

function toProgram(item: Item): Program {
  const { pk: _pk, sk: _sk, itemType: _t, ...rest } = item;
  return rest as unknown as Program;
}

function isCancelled(err: unknown): boolean {
  return (err as { name?: string } | undefined)?.name === 'TransactionCanceledException';
}

export class DynamoProgramStore implements ProgramStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async current(): Promise<Program | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: programCurrentKey(), ConsistentRead: true }));
    return out.Item ? toProgram(out.Item) : undefined;
  }

  async save(next: Program, expected: number, initial: Program): Promise<'saved' | 'stale'> {
    const first = expected === initial.version;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...programCurrentKey(), itemType: 'program', ...next },
                ConditionExpression: first ? 'attribute_not_exists(pk) OR #v = :expected' : '#v = :expected',
                ExpressionAttributeNames: { '#v': 'version' },
                ExpressionAttributeValues: { ':expected': expected },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...programVersionKey(next.version), itemType: 'program-version', ...next },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            // The default that ran before the first save is history too.
            ...(first
              ? [
                  {
                    Put: {
                      TableName: this.tableName,
                      Item: { ...programVersionKey(initial.version), itemType: 'program-version', ...initial },
                      ConditionExpression: 'attribute_not_exists(pk)',
                    },
                  },
                ]
              : []),
          ],
        }),
      );
      return 'saved';
    } catch (err) {
      if (isCancelled(err)) return 'stale';
      throw err;
    }
  }

  async versions(page: { limit: number; before?: number }): Promise<ProgramPage> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: page.before !== undefined ? 'pk = :pk AND sk BETWEEN :lo AND :hi' : 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues:
          page.before !== undefined
            ? { ':pk': PROGRAM_PK, ':lo': programVersionKey(0).sk, ':hi': programVersionKey(Math.max(0, page.before - 1)).sk }
            : { ':pk': PROGRAM_PK, ':prefix': PROGRAM_VERSION_PREFIX },
        ScanIndexForward: false,
        Limit: page.limit,
        ConsistentRead: true,
      }),
    );
    const items = (out.Items ?? []).map(toProgram);
    const last = items.at(-1);
    return { items, nextCursor: out.LastEvaluatedKey && last ? String(last.version) : undefined };
  }
}
