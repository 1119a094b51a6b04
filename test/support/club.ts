/**
 * The club for integration tests: the real HTTP server and handlers, in this
 * worker, against the run's DynamoDB Local (see global-setup.ts), in a database
 * of this test file's own (its access key id), kept for the file's restarts.
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
import { expect, inject } from 'vitest';
import { startClub, type ClubService } from '../../local/club';
import { credentialsFor, localClient } from '../../local/dynamodb-local';
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
  /** Resolves once what committed before has been through the table's stream: report counters added, events published. */
  drained(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestClubOptions {
  /** @default 'USD' */
  readonly currency?: string;
  /** Background services; default: the club's own (webhook consumer, schedules). */
  readonly services?: readonly ClubService[];
}

// One table and one database (access key id) per test file, reused if the file starts the club
// again. Keyed by the file, not held in this module: files that share a worker share this module.
const fileDatabases = new Map<string, { tableName: string; credentials: ReturnType<typeof credentialsFor> }>();

const thisFile = () => expect.getState().testPath ?? 'test';

function thisFilesDatabase() {
  const testPath = thisFile();
  let db = fileDatabases.get(testPath);
  if (!db) {
    const slug = basename(testPath)
      .replace(/\.test\.ts$/, '')
      .replace(/[^a-zA-Z0-9_.-]/g, '-')
      .slice(0, 60);
    db = {
      tableName: `test-${slug}-${randomBytes(4).toString('hex')}`,
      // global-setup.ts says why not one shared database.
      credentials: credentialsFor(`LOYALTYTEST${randomBytes(8).toString('hex').toUpperCase()}`),
    };
    fileDatabases.set(testPath, db);
  }
  return db;
}

/** Where this file's club keeps its data: for a club in another process (a crash test) that must find the same table. */
export function testDatabase(): { endpoint: string; credentials: ReturnType<typeof credentialsFor>; tableName: string } {
  return { endpoint: inject('dynamodbEndpoint'), ...thisFilesDatabase() };
}

/** Clubs started and not yet stopped, by the test file that started them. */
const running = new Map<string, Set<() => Promise<void>>>();

/**
 * Stops the clubs the file left running and says how many there were: in a worker the files
 * share, a club left behind would go on polling its stream and queues under the next files.
 */
export async function stopClubsLeftRunning(): Promise<number> {
  const left = running.get(thisFile()) ?? new Set();
  const count = left.size;
  for (const stop of [...left]) await stop();
  return count;
}

export async function startTestClub(options: TestClubOptions = {}): Promise<TestClub> {
  const testPath = thisFile();
  const database = thisFilesDatabase();
  const club = await startClub({
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    dynamodbCredentials: database.credentials,
    tableName: database.tableName,
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
    // Reports are counted off the table's stream, seconds after the commit (docs/reports.md): a test
    // reads them as a client who waited would, once what it committed has been counted.
    if (method === 'GET' && path.startsWith('/v1/reports')) await club.drained();
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

  const stop = async () => {
    running.get(testPath)?.delete(stop);
    client.destroy();
    await club.stop();
  };
  if (!running.has(testPath)) running.set(testPath, new Set());
  running.get(testPath)!.add(stop);

  return {
    url: club.url,
    token: club.token,
    tableName: club.tableName,
    costsFile: club.costsFile,
    client,
    api,
    drained: () => club.drained(),
    stop,
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
