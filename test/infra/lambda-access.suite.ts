/**
 * Every Lambda entry of the stack, run as Lambda would run it: its module loaded
 * afresh with process.env set to exactly what the template gives the function
 * (plus what Lambda itself sets), its main paths driven, and every AWS request
 * it makes checked against its role's statements in the template. A variable
 * the template forgets shows up as a missing request (the handler quietly took
 * a local default: no PutEvents, events in the local sink) and a grant it
 * forgets as a request the role doesn't allow.
 *
 * DynamoDB is the real thing (DynamoDB Local, the one stand-in: DYNAMODB_ENDPOINT),
 * recorded as it passes; EventBridge, SQS, Secrets Manager, SES, CloudWatch and
 * Cost Explorer are aws-sdk-client-mock mocks that record and answer.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Stack } from 'aws-cdk-lib';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ClubFunctionName } from '../../infra/function-access';
import type { LoyaltyStack } from '../../infra/loyalty-stack';
import { REPO_ROOT } from '../../infra/paths';
import { ensureTable, QUICK_START_JAVA_OPTIONS, startDynamoDBLocal, type DynamoDBLocal } from '../../local/dynamodb-local';
import { DAILY_JOBS } from '../../shared/club/jobs';
import { issueOptOutToken } from '../../shared/portal/opt-out';
import { TABLE_KEYS } from '../../shared/store/table-definition';
import { ACCOUNT, allows, REGION, TemplateResolver, type Need, type Statement } from '../support/iam';
import { synthStage } from '../support/synth';

const TABLE = `lambda-access-${randomUUID().slice(0, 8)}`;
const API_TOKEN = 'api-token-from-secrets-manager-0123456789';
const SHOPIFY_SECRET = 'shpss_from_secrets_manager';
const PORTAL_SECRET_FOR_LINKS = 'portal-signing-key-0123456789abcdef0123456789abcdef';
const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${TABLE}`;

let dynamo: DynamoDBLocal;
let stack: LoyaltyStack;
let resolver: TemplateResolver;

beforeAll(async () => {
  const synth = synthStage('dev');
  stack = synth.stack;
  resolver = new TemplateResolver(synth.json, TABLE);
  dynamo = await startDynamoDBLocal({ javaOptions: QUICK_START_JAVA_OPTIONS });
  await ensureTable(
    new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    TABLE,
  );
}, 600_000);

afterAll(async () => {
  await dynamo?.stop();
});

// --- what a request needs -----------------------------------------------------

const PK = TABLE_KEYS.partitionKey;
const plain = (v: any) => (v && typeof v === 'object' && 'S' in v ? v.S : v);
const tableArn = (name: string, index?: string) => {
  const arn = name === TABLE ? TABLE_ARN : `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
  return index ? `${arn}/index/${index}` : arn;
};
const item = (action: string, table: string, key: any): Need => ({
  action: `dynamodb:${action}`,
  resource: tableArn(table),
  leadingKeys: [String(plain(key?.[PK]))],
});

/** The IAM actions and resources one SDK command needs (IAM authorises a transaction item by item). */
function needsOf(command: any): Need[] | string {
  const name = String(command.constructor.name).replace(/Command$/, '');
  const input = command.input ?? {};
  switch (name) {
    case 'Get':
    case 'GetItem':
      return [item('GetItem', input.TableName, input.Key)];
    case 'Put':
    case 'PutItem':
      return [item('PutItem', input.TableName, input.Item)];
    case 'Update':
    case 'UpdateItem':
      return [item('UpdateItem', input.TableName, input.Key)];
    case 'Delete':
    case 'DeleteItem':
      return [item('DeleteItem', input.TableName, input.Key)];
    case 'Query':
      return [{ action: 'dynamodb:Query', resource: tableArn(input.TableName, input.IndexName) }];
    case 'Scan':
      return [{ action: 'dynamodb:Scan', resource: tableArn(input.TableName, input.IndexName) }];
    case 'BatchGet':
    case 'BatchGetItem':
      return Object.keys(input.RequestItems).map((t) => ({ action: 'dynamodb:BatchGetItem', resource: tableArn(t) }));
    case 'BatchWrite':
    case 'BatchWriteItem':
      return Object.entries(input.RequestItems as Record<string, any[]>).map(([t, requests]) => ({
        action: 'dynamodb:BatchWriteItem',
        resource: tableArn(t),
        leadingKeys: requests.map((r) => String(plain((r.PutRequest?.Item ?? r.DeleteRequest?.Key)?.[PK]))),
      }));
    case 'TransactWrite':
    case 'TransactWriteItems':
      return (input.TransactItems as any[]).map((t) => {
        if (t.Put) return item('PutItem', t.Put.TableName, t.Put.Item);
        if (t.Update) return item('UpdateItem', t.Update.TableName, t.Update.Key);
        if (t.Delete) return item('DeleteItem', t.Delete.TableName, t.Delete.Key);
        return item('ConditionCheckItem', t.ConditionCheck.TableName, t.ConditionCheck.Key);
      });
    case 'TransactGet':
    case 'TransactGetItems':
      return (input.TransactItems as any[]).map((t) => item('GetItem', t.Get.TableName, t.Get.Key));
    case 'PutEvents':
      return (input.Entries as any[]).map((e) => ({
        action: 'events:PutEvents',
        resource: String(e.EventBusName ?? 'default').startsWith('arn:')
          ? e.EventBusName
          : `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${e.EventBusName ?? 'default'}`,
      }));
    case 'SendMessage': {
      const [, , host, account, queue] = String(input.QueueUrl).split('/');
      return [{ action: 'sqs:SendMessage', resource: `arn:aws:sqs:${host!.split('.')[1]}:${account}:${queue}` }];
    }
    case 'GetSecretValue':
      return [{ action: 'secretsmanager:GetSecretValue', resource: input.SecretId }];
    // No resource-level permissions for these: "*" is the only resource IAM checks.
    case 'GetMetricData':
    case 'ListMetrics':
      return [{ action: `cloudwatch:${name}`, resource: '*' }];
    case 'GetCostAndUsage':
      return [{ action: 'ce:GetCostAndUsage', resource: '*' }];
    case 'SendEmail':
      return [{ action: 'ses:SendEmail', resource: `arn:aws:ses:${REGION}:${ACCOUNT}:identity/${input.FromEmailAddress}` }];
    default:
      return `the test doesn't know which permission ${command.constructor.name} needs: add it to needsOf`;
  }
}

// --- running one function as Lambda does -------------------------------------

interface Run {
  readonly commands: any[];
  /** Events the handler handed to the process's local sink: on Lambda, lost. */
  readonly localEvents: any[];
  readonly sms: string[];
  readonly env: Record<string, string>;
  readonly statements: Statement[];
  /** What the function wrote to stdout (on Lambda, its log stream): its log lines and each invocation's cost as EMF. */
  readonly stdout: string[];
}

/** What Lambda sets besides the function's own variables (credentials and region). */
function lambdaEnvironment(functionName: string): Record<string, string> {
  return {
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    LAMBDA_TASK_ROOT: '/var/task',
    // DynamoDB Local keeps one database per access key: the table above is under 'local'.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SESSION_TOKEN: 'session',
    TZ: ':UTC',
  };
}

const idOf = (c: any) => Stack.of(c).getLogicalId(c.node.defaultChild);

/**
 * Loads functions/<name>.ts in a fresh module graph (a new container) with the
 * template's environment for it, lets `drive` invoke it, and records what it sent.
 */
async function runFunction(name: ClubFunctionName, drive: (handler: (event: any) => Promise<any>) => Promise<void>): Promise<Run> {
  const f = stack.functions.get(name);
  if (!f) throw new Error(`${name} is not in the stack`);
  const fnId = idOf(f.fn);
  const timeoutMs = Number((resolver as any).json?.Resources?.[fnId]?.Properties?.Timeout ?? 10) * 1000;
  const env: Record<string, string> = { ...resolver.environmentOf(fnId), ...lambdaEnvironment(fnId), DYNAMODB_ENDPOINT: dynamo.endpoint };
  const statements = resolver.statementsOf(fnId);

  const commands: any[] = [];
  const sms: string[] = [];
  const secrets = secretValues();
  const mocks = [
    mockClient(EventBridgeClient)
      .on(PutEventsCommand)
      .callsFake((input) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: randomUUID() })) })),
    mockClient(SQSClient).on(SendMessageCommand).resolves({ MessageId: randomUUID() }),
    mockClient(SecretsManagerClient)
      .on(GetSecretValueCommand)
      .callsFake((input) => {
        const value = secrets.get(input.SecretId);
        if (value === undefined)
          throw Object.assign(new Error(`ResourceNotFoundException: ${input.SecretId}`), { name: 'ResourceNotFoundException' });
        return { SecretString: value };
      }),
    mockClient(SESv2Client).on(SendEmailCommand).resolves({ MessageId: randomUUID() }),
    mockClient(CloudWatchClient)
      .on(ListMetricsCommand)
      .resolves({
        Metrics: [{ Namespace: 'LoyaltyClub', MetricName: 'CostMicroUsd', Dimensions: [{ Name: 'Service', Value: 'loyalty-club' }] }],
      })
      .on(GetMetricDataCommand)
      .resolves({ MetricDataResults: [{ Id: 'total', Values: [12] }] }),
    mockClient(CostExplorerClient).on(GetCostAndUsageCommand).resolves({ ResultsByTime: [] }),
  ];
  const record = (client: any) => {
    const original = client.prototype.send;
    return vi.spyOn(client.prototype, 'send').mockImplementation(function (this: any, command: any, ...rest: any[]) {
      commands.push(command);
      return original.call(this, command, ...rest);
    });
  };
  // The mocks' sends, recorded after the fact; DynamoDB's recorded as they pass to DynamoDB Local.
  const spies = [record(DynamoDBDocumentClient), record(DynamoDBClient)];
  vi.stubGlobal('fetch', async (url: string) => {
    sms.push(String(url));
    return new Response(JSON.stringify({ return: { status: 200, message: 'ok' }, entries: [{ messageid: 1 }] }), { status: 200 });
  });

  // Kept, not printed: every run's cost lines would fill the test output. Shown if the run fails.
  const stdout: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (!k.startsWith('VITEST')) delete process.env[k];
  Object.assign(process.env, env);
  const localEvents: any[] = [];
  try {
    vi.resetModules();
    const events = await import('../../shared/events/events');
    events.setProcessEventSink({ publish: async (e) => void localEvents.push(...e) });
    const mod = await import(join(REPO_ROOT, 'functions', `${name}.ts`));
    const started = Date.now();
    const context = {
      functionName: fnId,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fnId}`,
      memoryLimitInMB: '512',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${fnId}`,
      logStreamName: 'test',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => timeoutMs - (Date.now() - started),
      done: () => {},
      fail: () => {},
      succeed: () => {},
    } as Context;
    await drive((event) => mod.handler(event, context));
  } catch (err) {
    process.stderr.write(`${name}'s stdout:\n${stdout.join('\n')}\n`);
    throw err;
  } finally {
    write.mockRestore();
    for (const k of Object.keys(process.env)) delete process.env[k];
    Object.assign(process.env, saved);
    for (const s of spies) s.mockRestore();
    vi.unstubAllGlobals();
    for (const m of mocks) {
      commands.push(...m.calls().map((c) => c.args[0]));
      m.restore();
    }
  }
  return { commands, localEvents, sms, env, statements, stdout };
}

/** The secrets' values by the ARNs the template hands out. */
function secretValues(): Map<string, string> {
  const arn = (secret: any) => resolver.ref(idOf(secret));
  const values = new Map<string, string>([
    [arn(stack.apiTokenSecret), API_TOKEN],
    [arn(stack.pages.portalSecret), PORTAL_SECRET_FOR_LINKS],
  ]);
  if (stack.webhooks)
    values.set(
      arn(stack.webhooks.secrets),
      JSON.stringify({
        shopify: SHOPIFY_SECRET,
        shopifyPrevious: '',
        woocommerce: 'woo',
        woocommercePrevious: '',
        generic: 'generic',
        genericPrevious: '',
      }),
    );
  if (stack.automations.senders) values.set(arn(stack.automations.senders.smsKey), 'sms-panel-key');
  return values;
}

/** Every request the function sent is one its role allows, on that resource. */
function expectAllowed(run: Run, name: string): void {
  const refused: string[] = [];
  for (const command of run.commands) {
    const needs = needsOf(command);
    if (typeof needs === 'string') {
      refused.push(needs);
      continue;
    }
    for (const need of needs) {
      if (!allows(run.statements, need))
        refused.push(
          `${command.constructor.name}: ${need.action} on ${need.resource}${need.leadingKeys ? ` (keys ${need.leadingKeys.join(', ')})` : ''}`,
        );
    }
  }
  expect(refused, `${name} sent requests its role in the template doesn't allow`).toEqual([]);
  expect(run.localEvents, `${name} handed events to the local sink (no LOYALTY_EVENT_BUS): on Lambda they are lost`).toEqual([]);
}

/** Every record of the table's stream so far, as the event source mapping hands them over. */
async function streamRecords(): Promise<any[]> {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const db = new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials });
  const streams = new DynamoDBStreamsClient({ endpoint: dynamo.endpoint, region: REGION, credentials });
  try {
    const streamArn = (await db.send(new DescribeTableCommand({ TableName: TABLE }))).Table!.LatestStreamArn!;
    const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription?.Shards ?? [];
    const records: any[] = [];
    for (const shard of shards) {
      let iterator = (
        await streams.send(
          new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
        )
      ).ShardIterator;
      while (iterator) {
        const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        records.push(...(out.Records ?? []).map((r) => ({ ...r, eventSource: 'aws:dynamodb' })));
        if (!out.Records?.length) break;
        iterator = out.NextShardIterator;
      }
    }
    return records;
  } finally {
    db.destroy();
    streams.destroy();
  }
}

const published = (run: Run) =>
  run.commands.filter((c) => c.constructor.name === 'PutEventsCommand').flatMap((c) => c.input.Entries.map((e: any) => e.DetailType));
const sentOf = (run: Run, commandName: string) => run.commands.filter((c) => c.constructor.name === commandName);

// --- the events Lambda gets ----------------------------------------------------

function http(
  method: string,
  routePath: string,
  options: { path?: string; body?: unknown; query?: Record<string, string>; token?: string; headers?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  const path = options.path ?? routePath;
  const params = routePath.match(/\{(\w+)\}/g)?.map((p) => p.slice(1, -1)) ?? [];
  const values = path.split('/');
  const pathParameters = Object.fromEntries(params.map((p) => [p, values[routePath.split('/').indexOf(`{${p}}`)]!]));
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${method} ${routePath}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: {
      'content-type': 'application/json',
      host: 'abc123.execute-api.eu-west-1.amazonaws.com',
      ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.query && { queryStringParameters: options.query }),
    ...(params.length && { pathParameters }),
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'test' },
      requestId: randomUUID(),
      routeKey: `${method} ${routePath}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body !== undefined && { body }),
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2;
}

async function call(handler: (e: any) => Promise<any>, event: APIGatewayProxyEventV2, expected: number): Promise<any> {
  const res = await handler(event);
  expect(res.statusCode, `${event.routeKey}: ${res.body}`).toBe(expected);
  // The opt-out page answers HTML; everything else JSON.
  return res.body && String(res.headers?.['content-type']).startsWith('application/json') ? JSON.parse(res.body) : res.body;
}

// --- the functions ------------------------------------------------------------------

const MEMBER = 'm-lambda-1';
let portalToken = '';
let queuedDelivery = '';

describe('every Lambda entry, with the environment and grants the template gives it', () => {
  it('health answers without any AWS request', async () => {
    const run = await runFunction('health', async (h) => void (await call(h, http('GET', '/health'), 200)));
    expect(run.commands).toEqual([]);
  });

  it('members: enrols and mints a portal link', async () => {
    const run = await runFunction('members', async (h) => {
      await call(
        h,
        http('POST', '/v1/members', {
          body: { memberId: MEMBER, email: 'lambda@example.com', phone: '+14155550100', name: 'Lam' },
          token: API_TOKEN,
        }),
        201,
      );
      await call(h, http('GET', '/v1/members/{memberId}', { path: `/v1/members/${MEMBER}`, token: API_TOKEN }), 200);
      await call(
        h,
        http('PATCH', '/v1/members/{memberId}', { path: `/v1/members/${MEMBER}`, body: { name: 'Lam Da' }, token: API_TOKEN }),
        200,
      );
      const link = await call(
        h,
        http('POST', '/v1/members/{memberId}/portal-links', { path: `/v1/members/${MEMBER}/portal-links`, body: {}, token: API_TOKEN }),
        201,
      );
      portalToken = link.token;
      await call(
        h,
        http('POST', '/v1/members/{memberId}/adjustments', {
          path: `/v1/members/${MEMBER}/adjustments`,
          body: { points: 5, reason: 'welcome gift', idempotencyKey: 'adj-1' },
          token: API_TOKEN,
        }),
        201,
      );
    });
    expectAllowed(run, 'members');
    // Its events come off the table's stream (the stream-processor case below), never from the request.
    expect(published(run)).toEqual([]);
  });

  it('earn: writes the earn and publishes nothing itself', async () => {
    const run = await runFunction('earn', async (h) => {
      await call(
        h,
        http('POST', '/v1/earn', { body: { memberId: MEMBER, orderId: 'o-1', amount: '120.00', currency: 'USD' }, token: API_TOKEN }),
        200,
      );
    });
    expectAllowed(run, 'earn');
    expect(published(run)).toEqual([]);
    // On Lambda the invocation's cost goes to its log stream as one EMF line, which CloudWatch turns into metrics.
    const costs = run.stdout.filter((l) => l.startsWith('{"_aws"')).map((l) => JSON.parse(l));
    expect(costs).toEqual([expect.objectContaining({ Route: 'POST /v1/earn', status: 200, WriteUnits: expect.any(Number) })]);
    expect(costs[0].WriteUnits).toBeGreaterThan(0);
  });

  it('refunds: writes the refund and publishes nothing itself', async () => {
    const run = await runFunction('refunds', async (h) => {
      await call(
        h,
        http('POST', '/v1/refunds', {
          body: { memberId: MEMBER, orderId: 'o-1', refundId: 'r-1', amount: '20.00', currency: 'USD' },
          token: API_TOKEN,
        }),
        200,
      );
    });
    expectAllowed(run, 'refunds');
    expect(published(run)).toEqual([]);
  });

  it('redeem: writes the redemption and publishes nothing itself', async () => {
    const run = await runFunction('redeem', async (h) => {
      await call(h, http('POST', '/v1/redeem', { body: { memberId: MEMBER, points: 10, idempotencyKey: 'red-1' }, token: API_TOKEN }), 200);
    });
    expectAllowed(run, 'redeem');
    expect(published(run)).toEqual([]);
  });

  it('admin-program, admin-jobs, notifications, rewards, deliveries, admin-members, reports: their reads and writes', async () => {
    const drives: [ClubFunctionName, (h: (e: any) => Promise<any>) => Promise<void>][] = [
      ['admin-program', async (h) => void (await call(h, http('GET', '/v1/admin/program', { token: API_TOKEN }), 200))],
      [
        'admin-jobs',
        async (h) =>
          void (await call(
            h,
            http('POST', '/v1/admin/jobs/{job}/run', { path: '/v1/admin/jobs/expire-points/run', body: {}, token: API_TOKEN }),
            200,
          )),
      ],
      [
        'notifications',
        async (h) => {
          await call(
            h,
            http('PUT', '/v1/members/{memberId}/notifications', {
              path: `/v1/members/${MEMBER}/notifications`,
              body: { channels: ['email', 'sms'] },
              token: API_TOKEN,
            }),
            200,
          );
          // The member's own consent, with their portal link.
          await call(h, http('GET', '/v1/me/notifications', { token: portalToken }), 200);
          // A message's opt-out link: no session, the signed token in the query (SMS: the notifier's email stays on).
          const optOut = issueOptOutToken(PORTAL_SECRET_FOR_LINKS, { memberId: MEMBER, channel: 'sms' });
          await call(h, http('GET', '/v1/unsubscribe', { query: { t: optOut } }), 200);
          await call(
            h,
            http('POST', '/v1/unsubscribe', {
              query: { t: optOut },
              body: 'List-Unsubscribe=One-Click',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
            }),
            200,
          );
        },
      ],
      [
        'rewards',
        async (h) =>
          void (await call(h, http('GET', '/v1/rewards/codes/{code}', { path: '/v1/rewards/codes/NOPE1234', token: API_TOKEN }), 404)),
      ],
      ['deliveries', async (h) => void (await call(h, http('GET', '/v1/admin/deliveries', { token: API_TOKEN }), 200))],
      ['admin-shop-sync', async (h) => void (await call(h, http('GET', '/v1/admin/shop-sync', { token: API_TOKEN }), 200))],
      ['admin-members', async (h) => void (await call(h, http('GET', '/v1/admin/members', { token: API_TOKEN }), 200))],
      [
        'reports',
        async (h) => {
          await call(h, http('GET', '/v1/reports/summary', { token: API_TOKEN }), 200);
          // On AWS the costs come from the metrics and Cost Explorer, whose answer is kept in the table.
          await call(h, http('GET', '/v1/reports/costs', { token: API_TOKEN }), 200);
          // A refresh: the metrics from the container's cache, the bill from the table (kept for the day).
          await call(h, http('GET', '/v1/reports/costs', { token: API_TOKEN }), 200);
        },
      ],
    ];
    for (const [name, drive] of drives) {
      const run = await runFunction(name, drive);
      expectAllowed(run, name);
      if (name === 'reports')
        for (const command of ['ListMetricsCommand', 'GetMetricDataCommand', 'GetCostAndUsageCommand', 'PutCommand'])
          expect(sentOf(run, command), `reports sent ${command} once for two reads of the costs`).toHaveLength(1);
    }
  });

  it("me: the member's page reads and redeems with the portal link, and a member signs in with a code sent by email", async () => {
    const run = await runFunction('me', async (h) => {
      await call(h, http('POST', '/v1/portal/sign-in', { body: { email: 'lambda@example.com' } }), 202);
      await call(h, http('POST', '/v1/portal/verify', { body: { email: 'lambda@example.com', code: '000000' } }), 401);
      await call(h, http('GET', '/v1/me', { token: portalToken }), 200);
      await call(h, http('GET', '/v1/me/ledger', { token: portalToken }), 200);
      // A member renames themselves: the name index drops the old name's items (a Delete in the transaction).
      await call(h, http('PATCH', '/v1/me', { body: { name: 'Self Renamed', language: 'fa' }, token: portalToken }), 200);
      // The default program offers no rewards: the answer is the refusal, after the same reads.
      await call(
        h,
        http('POST', '/v1/me/redeem', { body: { rewardId: 'none' }, token: portalToken, headers: { 'idempotency-key': 'me-1' } }),
        404,
      );
    });
    expectAllowed(run, 'me');
    // The code went out through SES, as the configured identity.
    expect(sentOf(run, 'SendEmailCommand')).toHaveLength(1);
  });

  it('webhooks: queues a signed Shopify order', async () => {
    const body = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'webhooks', 'shopify-orders-paid.json'), 'utf8');
    const run = await runFunction('webhooks', async (h) => {
      await call(
        h,
        http('POST', '/v1/webhooks/shopify', {
          body,
          headers: {
            'x-shopify-topic': 'orders/paid',
            'x-shopify-hmac-sha256': createHmac('sha256', SHOPIFY_SECRET).update(body).digest('base64'),
            'x-shopify-shop-domain': 'jsmith.myshopify.com',
            'x-shopify-webhook-id': randomUUID(),
            'x-shopify-event-id': randomUUID(),
          },
        }),
        202,
      );
    });
    expectAllowed(run, 'webhooks');
    const sent = sentOf(run, 'SendMessageCommand');
    expect(sent).toHaveLength(1);
    queuedDelivery = sent[0].input.MessageBody;
  });

  it('webhook-consumer: applies the queued order and publishes nothing itself', async () => {
    expect(queuedDelivery).not.toBe('');
    const run = await runFunction('webhook-consumer', async (h) => {
      const out = await h({
        Records: [
          {
            messageId: randomUUID(),
            receiptHandle: 'r',
            body: queuedDelivery,
            attributes: {
              ApproximateReceiveCount: '1',
              SentTimestamp: String(Date.now()),
              SenderId: 'x',
              ApproximateFirstReceiveTimestamp: String(Date.now()),
            },
            messageAttributes: {},
            md5OfBody: '',
            eventSource: 'aws:sqs',
            eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:deliveries`,
            awsRegion: REGION,
          },
        ],
      });
      expect(out).toEqual({ batchItemFailures: [] });
    });
    expectAllowed(run, 'webhook-consumer');
    expect(published(run)).toEqual([]);
  });

  it("stream-processor: publishes the committed changes' events off the table's stream, on the bus", async () => {
    const records = await streamRecords();
    expect(records.length).toBeGreaterThan(0);
    const run = await runFunction('stream-processor', async (h) => {
      expect(await h({ Records: records })).toEqual({ batchItemFailures: [] });
    });
    expectAllowed(run, 'stream-processor');
    expect(published(run)).toEqual(expect.arrayContaining(['points.adjusted', 'points.earned', 'points.reversed', 'points.redeemed']));
  });

  it('shop-sync: takes a reward event off its queue and looks the code up', async () => {
    const event = {
      id: 'reward:RW-00000-00000-00000-00001',
      type: 'reward.issued',
      version: 1,
      memberId: 'm',
      data: { code: 'RW-00000-00000-00000-00001' },
    };
    const run = await runFunction('shop-sync', async (h) => {
      const out = await h({
        Records: [
          {
            messageId: randomUUID(),
            receiptHandle: 'r',
            body: JSON.stringify({ source: 'loyalty.club', 'detail-type': 'reward.issued', detail: event }),
            attributes: {
              ApproximateReceiveCount: '1',
              SentTimestamp: String(Date.now()),
              SenderId: 'x',
              ApproximateFirstReceiveTimestamp: String(Date.now()),
            },
            messageAttributes: {},
            md5OfBody: '',
            eventSource: 'aws:sqs',
            eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:shop-sync`,
            awsRegion: REGION,
          },
        ],
      });
      expect(out).toEqual({ batchItemFailures: [] });
    });
    expectAllowed(run, 'shop-sync');
    expect(run.env.SHOP_SECRETS_ARN).toBeTruthy();
  });

  it('jobs: every daily job runs as Scheduler invokes it', async () => {
    const run = await runFunction('jobs', async (h) => {
      for (const job of DAILY_JOBS) await h({ job, asOf: new Date().toISOString(), daily: false });
      await h({ job: 'republish-events', asOf: new Date().toISOString() });
    });
    expectAllowed(run, 'jobs');
  });

  it('notifier: sends a message by email, and flushes deferred ones', async () => {
    // Noon UTC: outside the default quiet hours (21-9 in the program's zone), so the message goes now.
    const noon = new Date();
    noon.setUTCHours(12, 0, 0, 0);
    vi.useFakeTimers({ toFake: ['Date'], now: noon });
    let outcomes: any;
    const run = await runFunction('notifier', async (h) => {
      const detail = {
        id: `expiring:${MEMBER}`,
        type: 'points.expiring',
        version: 1,
        occurredAt: noon.toISOString(),
        memberId: MEMBER,
        data: { points: 10, expiresAt: '2099-01-31T23:59:59.999Z' },
      };
      outcomes = await h({ source: 'loyalty.club', 'detail-type': 'points.expiring', detail });
      await h({ flushDeferred: true });
    }).finally(() => vi.useRealTimers());
    expectAllowed(run, 'notifier');
    // The member's first channel (the notifications step put email first): SES, as the configured identity.
    expect(outcomes.map((o: any) => [o.channel, o.status])).toEqual([['email', 'sent']]);
    expect(sentOf(run, 'SendEmailCommand')).toHaveLength(1);
    // The one-click opt-out: signed with the portal secret, on the pages' public address (which forwards /v1/*).
    expect(sentOf(run, 'SendEmailCommand')[0]!.input.Content.Simple.Headers).toEqual([
      { Name: 'List-Unsubscribe', Value: expect.stringMatching(/^<https:\/\/[^/]+\/v1\/unsubscribe\?t=[\w-]+\.[\w-]+>$/) },
      { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
    ]);
  });

  it('covers every function of the stack', () => {
    const covered = [
      'health',
      'members',
      'earn',
      'refunds',
      'redeem',
      'admin-program',
      'admin-jobs',
      'notifications',
      'rewards',
      'deliveries',
      'admin-members',
      'reports',
      'me',
      'webhooks',
      'webhook-consumer',
      'jobs',
      'notifier',
      'stream-processor',
      'shop-sync',
      'admin-shop-sync',
    ];
    expect([...stack.functions.keys()].sort()).toEqual(covered.sort());
  });
});
