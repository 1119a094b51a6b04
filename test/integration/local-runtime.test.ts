/**
 * The local runtime itself: the HTTP path API Gateway would take, the limits it
 * enforces before any handler runs, and a club whose data and token survive a restart.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startClub, type RunningClub } from '../../local/club';
import { ensureTable, localClient, LOCAL_REGION, QUICK_START_JAVA_OPTIONS, startDynamoDBLocal } from '../../local/dynamodb-local';
import { loadedFunctions, startServer, type LocalServer } from '../../local/server';
import { MAX_BODY_BYTES } from '../../shared/http/errors';
import { startTestClub, type TestClub } from '../support/club';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * The addresses a TCP port listens on, from the kernel's socket tables (Linux);
 * elsewhere, the machine's other addresses that accept a connection to it.
 */
async function listeningAddresses(port: number): Promise<string[]> {
  if (existsSync('/proc/net/tcp')) {
    const found: string[] = [];
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      if (!existsSync(table)) continue;
      for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
        const [, local, , state] = line.trim().split(/\s+/);
        if (state !== '0A' || !local) continue; // 0A: LISTEN
        const [hexAddress, hexPort] = local.split(':');
        if (parseInt(hexPort!, 16) === port) found.push(hexAddress!);
      }
    }
    // Each 32-bit word is little-endian: 127.0.0.1 is 0100007F, ::1 ends 01000000,
    // ::ffff:127.0.0.1 (a dual-stack socket bound to 127.0.0.1) ends FFFF00000100007F.
    return found.map((hex) =>
      /^[0-9A-F]{6}7F$/.test(hex) || hex === '00000000000000000000000001000000' || /^0{16}FFFF0000[0-9A-F]{6}7F$/.test(hex)
        ? 'loopback'
        : hex,
    );
  }
  const others = Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && !i.internal)
    .map((i) => i!.address);
  const reachable: string[] = [];
  for (const host of others) {
    const accepted = await new Promise<boolean>((res) => {
      const socket = connect({ host, port, timeout: 1000 });
      socket.once('connect', () => (socket.destroy(), res(true)));
      socket.once('error', () => res(false));
      socket.once('timeout', () => (socket.destroy(), res(false)));
    });
    if (accepted) reachable.push(host);
  }
  return ['loopback', ...reachable];
}

async function waitDead(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !isAlive(pid);
}

describe('the club over HTTP', () => {
  let club: TestClub;
  beforeAll(async () => {
    club = await startTestClub();
  });
  afterAll(() => club?.stop());

  it('answers GET /health through the real handler', async () => {
    const res = await club.api('GET', '/health', undefined, { authorization: undefined });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('answers an unknown route 404 in the error shape', async () => {
    const res = await club.api('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String), details: [] } });
  });

  it('answers a known route with the wrong method 405 with Allow', async () => {
    const res = await club.api('DELETE', '/v1/members/m-1');
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe('METHOD_NOT_ALLOWED');
    expect(res.body.error.details).toEqual([]);
    expect(res.headers.allow).toBe('GET, PATCH');
  });

  it('refuses a body over 256 KiB with 413 before loading the handler', async () => {
    const big = JSON.stringify({ memberId: 'm-1', pad: 'x'.repeat(300 * 1024) });
    const res = await club.api('POST', '/v1/earn', big, { 'content-type': 'application/json' });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String), details: [] } });
    expect(loadedFunctions()).not.toContain('earn');
  });

  it('refuses an oversized body sent without a Content-Length too', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 5 * chunk.length) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${club.url}/v1/earn`, {
      method: 'POST',
      headers: { authorization: `Bearer ${club.token}`, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(loadedFunctions()).not.toContain('earn');
  });
});

describe('API Gateway payload 2.0 emulation', () => {
  let server: LocalServer;
  let seen: { event: APIGatewayProxyEventV2; context: Context } | undefined;
  let respond: (event: APIGatewayProxyEventV2) => unknown;

  beforeAll(async () => {
    server = await startServer({
      port: 0,
      quiet: true,
      loadHandler: async () => async (event, context) => {
        seen = { event, context };
        return respond(event);
      },
    });
  });
  afterAll(() => server?.close());

  it('builds the event API Gateway would send', async () => {
    respond = () => ({ statusCode: 204 });
    // node:http, because fetch folds repeated headers into one before sending.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/v1/members/ada%20l%2Fx/ledger?limit=5&tag=a&tag=b&email=a%2Bb%40x.io`, {
        headers: { 'X-Custom': ['one', 'two'], Cookie: 'a=1; b=2', 'User-Agent': 'vitest' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(204);
    const { event, context } = seen!;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /v1/members/{memberId}/ledger',
      rawPath: '/v1/members/ada%20l%2Fx/ledger',
      rawQueryString: 'limit=5&tag=a&tag=b&email=a%2Bb%40x.io',
      queryStringParameters: { limit: '5', tag: 'a,b', email: 'a+b@x.io' },
      pathParameters: { memberId: 'ada l/x' },
      cookies: ['a=1', 'b=2'],
      isBase64Encoded: false,
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        domainName: '127.0.0.1',
        routeKey: 'GET /v1/members/{memberId}/ledger',
        stage: '$default',
        http: { method: 'GET', path: '/v1/members/ada%20l%2Fx/ledger', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      },
    });
    expect(event.headers['x-custom']).toBe('one,two');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.body).toBeUndefined();
    expect(event.requestContext.requestId).toBe(context.awsRequestId);
    expect(event.requestContext.time).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(10_000);
    expect(context.functionName).toContain('members');
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  it('passes JSON bodies as text and other bodies as base64', async () => {
    respond = () => ({ statusCode: 200, body: 'ok' });
    await fetch(`${server.url}/v1/earn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"amount":"9.99","name":"Zoë"}',
    });
    expect(seen!.event).toMatchObject({ body: '{"amount":"9.99","name":"Zoë"}', isBase64Encoded: false });

    await fetch(`${server.url}/v1/earn`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'webhook_id=7',
    });
    expect(seen!.event.isBase64Encoded).toBe(true);
    expect(Buffer.from(seen!.event.body!, 'base64').toString()).toBe('webhook_id=7');

    // JSON whose bytes aren't UTF-8 can't travel as text: base64, exact, for the webhook HMAC.
    const latin1 = Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]); // {"n":"é"} in Latin-1
    await fetch(`${server.url}/v1/earn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: latin1 });
    expect(seen!.event.isBase64Encoded).toBe(true);
    expect(Buffer.from(seen!.event.body!, 'base64').equals(latin1)).toBe(true);
  });

  it('writes back status, headers, cookies and base64 bodies', async () => {
    respond = () => ({
      statusCode: 201,
      headers: { 'x-answer': 42, 'content-type': 'application/octet-stream' },
      cookies: ['s=1; Path=/', 't=2'],
      body: Buffer.from([0, 1, 2, 255]).toString('base64'),
      isBase64Encoded: true,
    });
    const res = await fetch(`${server.url}/v1/members`, { method: 'POST' });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-answer')).toBe('42');
    expect(res.headers.getSetCookie()).toEqual(['s=1; Path=/', 't=2']);
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0, 1, 2, 255]);
    expect(res.headers.get('apigw-requestid')).toBe(seen!.context.awsRequestId);
  });

  it('treats a result without statusCode as a JSON 200', async () => {
    respond = () => ({ hello: 'world' });
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hello: 'world' });
  });

  it('answers 500 INTERNAL without leaking the error when a handler throws', async () => {
    respond = () => {
      throw new Error('secret detail at db.internal:1234');
    };
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const res = await fetch(`${server.url}/health`);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text).error.code).toBe('INTERNAL');
      expect(text).not.toContain('secret detail');
      expect(text).not.toContain('at ');
    } finally {
      console.error = original;
    }
    expect(JSON.stringify(errors.map(String))).toContain('secret detail');
  });

  it('accepts a body of exactly 256 KiB', async () => {
    respond = (event) => ({ statusCode: 200, body: String(event.body?.length) });
    const res = await fetch(`${server.url}/v1/earn`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(MAX_BODY_BYTES),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(String(MAX_BODY_BYTES));
  });
});

describe('startClub on a data dir', () => {
  let dataDir: string;
  let club: RunningClub | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'loyalty-club-'));
  });
  afterAll(async () => {
    await club?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps data and the generated token across a restart, and leaves no JVM behind', async () => {
    club = await startClub({ dataDir, quiet: true, dynamodbJavaOptions: QUICK_START_JAVA_OPTIONS });
    const firstToken = club.token;
    const firstPid = club.dynamodbPid!;
    expect(firstToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const tokenFile = await stat(join(dataDir, 'api-token'));
    expect(tokenFile.mode & 0o777).toBe(0o600);

    let raw = localClient(club.dynamodbEndpoint, club.dynamodbCredentials);
    let doc = DynamoDBDocumentClient.from(raw);
    await doc.send(new PutCommand({ TableName: club.tableName, Item: { pk: 'TEST#restart', sk: 'A', note: 'kept' } }));
    raw.destroy();
    const health = await fetch(`${club.url}/health`);
    expect(health.status).toBe(200);
    const api = (c: RunningClub, method: string, path: string, body?: unknown) =>
      fetch(c.url + path, {
        method,
        headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await api(club, 'POST', '/v1/members', { memberId: 'kept-member' })).status).toBe(201);
    expect(
      (await api(club, 'POST', '/v1/earn', { memberId: 'kept-member', orderId: 'kept-1', amount: '42.50', currency: 'USD' })).status,
    ).toBe(200);

    await club.stop();
    club = undefined;
    expect(await waitDead(firstPid)).toBe(true);

    club = await startClub({ dataDir, quiet: true, dynamodbJavaOptions: QUICK_START_JAVA_OPTIONS });
    expect(club.token).toBe(firstToken);
    raw = localClient(club.dynamodbEndpoint, club.dynamodbCredentials);
    doc = DynamoDBDocumentClient.from(raw);
    const { Item } = await doc.send(new GetCommand({ TableName: club.tableName, Key: { pk: 'TEST#restart', sk: 'A' } }));
    raw.destroy();
    expect(Item?.note).toBe('kept');
    const member = await (await api(club, 'GET', '/v1/members/kept-member')).json();
    expect(member).toMatchObject({ memberId: 'kept-member', balance: 42, lifetimePoints: 42 });
    const again = await (
      await api(club, 'POST', '/v1/earn', { memberId: 'kept-member', orderId: 'kept-1', amount: '42.50', currency: 'USD' })
    ).json();
    expect(again).toMatchObject({ points: 42, balance: 42, duplicate: true });

    const secondPid = club.dynamodbPid!;
    await club.stop();
    club = undefined;
    expect(await waitDead(secondPid)).toBe(true);
  });
});

describe('a started club is reachable only from this machine and only by its owner', () => {
  let dataDir: string;
  let club: RunningClub | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'loyalty-club-'));
  });
  afterAll(async () => {
    await club?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('upgrades an older data dir: keeps its data, keys the store, tightens modes, listens on loopback only', async () => {
    // A data dir as earlier versions left it: one shared database, files anyone could read.
    const old = await startDynamoDBLocal({ dbPath: join(dataDir, 'dynamodb'), javaOptions: QUICK_START_JAVA_OPTIONS });
    let raw = localClient(old.endpoint);
    await ensureTable(raw, 'loyalty-local');
    await DynamoDBDocumentClient.from(raw).send(
      new PutCommand({ TableName: 'loyalty-local', Item: { pk: 'TEST#upgrade', sk: 'A', note: 'kept' } }),
    );
    raw.destroy();
    await old.stop();
    expect(await readdir(join(dataDir, 'dynamodb'))).toContain('shared-local-instance.db');
    await writeFile(join(dataDir, 'events.jsonl'), '', { mode: 0o644 });
    await chmod(join(dataDir, 'events.jsonl'), 0o644);
    await chmod(dataDir, 0o755);

    club = await startClub({ dataDir, quiet: true, dynamodbJavaOptions: QUICK_START_JAVA_OPTIONS });

    // The old data is there, under the club's own credentials.
    raw = localClient(club.dynamodbEndpoint, club.dynamodbCredentials);
    const { Item } = await DynamoDBDocumentClient.from(raw).send(
      new GetCommand({ TableName: club.tableName, Key: { pk: 'TEST#upgrade', sk: 'A' } }),
    );
    raw.destroy();
    expect(Item?.note).toBe('kept');
    const keyFile = join(dataDir, 'dynamodb-access-key');
    expect(club.dynamodbCredentials?.accessKeyId).toBe(readFileSync(keyFile, 'utf8').trim());
    expect(await readdir(join(dataDir, 'dynamodb'))).toEqual(
      expect.arrayContaining([`${club.dynamodbCredentials!.accessKeyId}_${LOCAL_REGION}.db`]),
    );
    expect(await readdir(join(dataDir, 'dynamodb'))).not.toContain('shared-local-instance.db');

    // Anyone else's credentials open another, empty database.
    const stranger = new DynamoDBClient({
      endpoint: club.dynamodbEndpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'MadeUpKey', secretAccessKey: 'whatever' },
    });
    const { TableNames } = await stranger.send(new ListTablesCommand({}));
    stranger.destroy();
    expect(TableNames).toEqual([]);

    // Something in every file the club writes: a member with a sign-up event and a message.
    const res = await fetch(`${club.url}/v1/members`, {
      method: 'POST',
      headers: { authorization: `Bearer ${club.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ memberId: 'mode-check', email: 'mode@example.com' }),
    });
    expect(res.status).toBe(201);

    // Every listening socket: DynamoDB Local, the SQS server, the HTTP API.
    const ports = [club.dynamodbEndpoint, process.env.SQS_ENDPOINT!, club.url].map((u) => Number(new URL(u).port));
    for (const port of ports) {
      const addresses = await listeningAddresses(port);
      expect(addresses.length, `port ${port} listens`).toBeGreaterThan(0);
      expect(addresses, `port ${port}`).toEqual(addresses.map(() => 'loopback'));
    }

    await club.stop();
    club = undefined;

    const modes: Record<string, string> = {};
    const walk = async (dir: string) => {
      modes[dir.slice(dataDir.length) || '/'] = ((await stat(dir)).mode & 0o777).toString(8);
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else modes[path.slice(dataDir.length)] = ((await stat(path)).mode & 0o777).toString(8);
      }
    };
    await walk(dataDir);
    for (const file of [
      '/api-token',
      '/portal-secret',
      '/dynamodb-access-key',
      '/events.jsonl',
      '/costs.jsonl',
      '/webhook-journal.ndjson',
    ]) {
      expect(modes, file).toHaveProperty([file]);
    }
    expect(Object.entries(modes).filter(([path, mode]) => mode !== (path === '/' || path === '/dynamodb' ? '700' : '600'))).toEqual([]);
  });
});

describe('startClub with a malformed STAFF_TOKENS', () => {
  it('refuses to start, naming the variable, instead of answering 500 to every authenticated call', async () => {
    const saved = process.env.STAFF_TOKENS;
    process.env.STAFF_TOKENS = 'sara:superuser:abc';
    try {
      await expect(
        startClub({ dynamodbEndpoint: inject('dynamodbEndpoint'), tableName: 'staff-tokens-check', quiet: true, services: [] }),
      ).rejects.toThrow(/^STAFF_TOKENS: entry 1 \("sara"\) must be name:role:token/);
    } finally {
      if (saved === undefined) delete process.env.STAFF_TOKENS;
      else process.env.STAFF_TOKENS = saved;
    }
    // Nothing was left running: a club starts now.
    const club = await startClub({
      dynamodbEndpoint: inject('dynamodbEndpoint'),
      tableName: 'staff-tokens-check',
      quiet: true,
      services: [],
    });
    await club.stop();
  });
});

describe('DynamoDB Local on a Java that cannot run the loopback launcher', () => {
  it('starts the plain jar with a warning instead of failing', async () => {
    const warnings: unknown[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    // A JRE without the jdk.compiler module, as some slimmed-down images are.
    const noCompiler = ['--limit-modules', 'java.se,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.localedata,jdk.net,jdk.management'];
    let store: Awaited<ReturnType<typeof startDynamoDBLocal>> | undefined;
    try {
      store = await startDynamoDBLocal({ javaOptions: [...QUICK_START_JAVA_OPTIONS, ...noCompiler] });
      const raw = localClient(store.endpoint);
      const { TableNames } = await raw.send(new ListTablesCommand({}));
      raw.destroy();
      expect(TableNames).toEqual([]);
    } finally {
      console.warn = original;
      await store?.stop();
    }
    expect(warnings).toEqual([expect.stringContaining('listens on every network interface')]);
  });
});
