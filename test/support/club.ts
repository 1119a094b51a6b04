/**
 * The club for integration tests: the real HTTP server and handlers, in this
 * worker, against an in-memory DynamoDB Local of this test file's own, started
 * at the file's first club and kept for its restarts.
 *
 *   let club: TestClub;
 *   beforeAll(async () => { club = await startTestClub(); });
 *   afterAll(() => club?.stop());
 *   it('earns', async () => {
 *     const res = await club.api('POST', '/v1/earn', { memberId, orderId, amount: '10.00', currency: 'USD' });
 *     expect(res.status).toBe(200);
 *   });
 */
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { startClub, type ClubService } from '../../local/club';
import { localClient, QUICK_START_JAVA_OPTIONS, startDynamoDBLocal, type DynamoDBLocal } from '../../local/dynamodb-local';
import { contractProblems } from './contract';

export interface ApiResponse<T = any> {
  readonly status: number;
  /** Parsed JSON; the raw text when the body isn't JSON; null when empty. */
  readonly body: T;
  readonly text: string;
  /** Lower-cased names. */
  readonly headers: Record<string, string>;
}

export interface TestClub {
  readonly url: string;
  readonly token: string;
  readonly tableName: string;
  /** The local cost log every request appends to (docs/costs.md). */
  readonly costsFile: string;
  /** Straight to the table, to arrange or inspect what the API can't. */
  readonly client: DynamoDBDocumentClient;
  /**
   * Calls the API with the bearer token. An object body is sent as JSON; a string
   * or Buffer is sent as is (webhooks: sign exactly these bytes). Pass
   * `{ authorization: undefined }` to send no Authorization header.
   */
  api<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string | undefined>): Promise<ApiResponse<T>>;
  stop(): Promise<void>;
}

export interface TestClubOptions {
  /** @default 'USD' */
  readonly currency?: string;
  /** Background services; default: the club's own (webhook consumer, schedules). */
  readonly services?: readonly ClubService[];
}

// Handlers cache their config (and so the table name) for the life of the module
// graph, which vitest gives each test file afresh. So: one table per file, reused
// if the file starts the club again.
let fileTableName: string | undefined;

function tableNameForThisFile(): string {
  if (!fileTableName) {
    const testPath = expect.getState().testPath;
    const slug = (testPath ? basename(testPath).replace(/\.test\.ts$/, '') : 'test').replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 60);
    fileTableName = `test-${slug}-${randomBytes(4).toString('hex')}`;
  }
  return fileTableName;
}

/**
 * Why not the run's shared DynamoDB Local (inject('dynamodbEndpoint')): it slows every write
 * to a stream-enabled table by the stream records of the tables made before it in the same
 * instance, deleted ones included (scripts/stream-local-writes.ts: 240–324 transactions/s on
 * the first table, 94 on the second, 67 on the third), and every club's table carries the stream
 * its events come from. The run's whole suite took twice as long. A file's table is the only
 * one in a store of its own (about 2 s to start); the store goes with the worker's process.
 */
let fileStore: Promise<DynamoDBLocal> | undefined;

export async function startTestClub(options: TestClubOptions = {}): Promise<TestClub> {
  fileStore ??= startDynamoDBLocal({ javaOptions: QUICK_START_JAVA_OPTIONS });
  const club = await startClub({
    dynamodbEndpoint: (await fileStore).endpoint,
    tableName: tableNameForThisFile(),
    apiToken: `test-${randomBytes(16).toString('hex')}`,
    currency: options.currency,
    services: options.services,
    quiet: true,
  });
  const raw = localClient(club.dynamodbEndpoint, club.dynamodbCredentials);
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });

  async function api<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string | undefined> = {},
  ): Promise<ApiResponse<T>> {
    const sent: Record<string, string> = { authorization: `Bearer ${club.token}` };
    let payload: string | Buffer | undefined;
    if (typeof body === 'string' || Buffer.isBuffer(body)) payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      sent['content-type'] = 'application/json';
    }
    for (const [k, v] of Object.entries(headers)) {
      if (v === undefined) delete sent[k.toLowerCase()];
      else sent[k.toLowerCase()] = v;
    }
    const res = await fetch(club.url + path, { method, headers: sent, body: payload });
    const text = await res.text();
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    const answer = { status: res.status, body: parsed as T, text, headers: Object.fromEntries(res.headers) };
    // Every answer is checked against docs/openapi.json (test/support/contract.ts).
    const problems = contractProblems(method, path, answer);
    if (problems.length > 0) throw new Error(`the answer breaks docs/openapi.json:\n${problems.join('\n')}\n${text.slice(0, 2000)}`);
    return answer;
  }

  return {
    url: club.url,
    token: club.token,
    tableName: club.tableName,
    costsFile: club.costsFile,
    client,
    api,
    stop: async () => {
      client.destroy();
      await club.stop();
    },
  };
}

/**
 * As a client does: a 503 CONCURRENT_UPDATE (the member kept changing under the request, nothing
 * was written) is sent again after its Retry-After. A busy machine makes these common in races.
 */
export async function untilDecided(send: () => Promise<ApiResponse>): Promise<ApiResponse> {
  for (;;) {
    const res = await send();
    if (res.status !== 503 || res.body?.error?.code !== 'CONCURRENT_UPDATE') return res;
    await new Promise((r) => setTimeout(r, Number(res.headers['retry-after'] ?? 1) * 1000));
  }
}
