import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES, ROUTES, routeKey, type FunctionName } from '../../functions/routes';
import { createTableInput, TTL_ATTRIBUTE } from '../../shared/store/table-definition';
import { createClubApp } from '../../infra/club-app';
import { FUNCTION_ACCESS } from '../../infra/function-access';
import { handlerExists } from '../../infra/paths';
import { CDK_JSON_CONTEXT, SYNTH_OUTDIR, synthStage, type Synth } from '../support/synth';

// Handlers are written by others in parallel: assert about the ones that exist.
const PRESENT = FUNCTION_NAMES.filter((fn) => handlerExists(fn));
const PRESENT_ROUTES = ROUTES.filter((r) => PRESENT.includes(r.fn));
/**
 * 250 KiB until every handler gained the Powertools logger (~11 KiB) and the one wiring module
 * (which imports every store): the largest plain handler (me) measured 253 KiB after that.
 * 288 KiB since the shop pushes (~6 KiB) joined the wiring and the member page's function took the
 * code sign-in with its SMS guards, the profile, the codes list and the Shopify app proxy's page: me
 * measured 411 KiB with the phone allowance (its largest parts: libphonenumber-js 118 KiB, zod 99 KiB,
 * the stores 37 KiB, the schemas 31 KiB, aws-jwt-verify 20 KiB, which the member page never uses).
 * Splitting the wiring and the route handler's staff check per entry point would win most of it back.
 * 292 KiB since the member's own email or phone change with its code (contact-change.ts and its schemas,
 * ~3 KiB) joined me, which then measured 416.2 KiB with the phone allowance.
 */
const BUNDLE_BUDGET_BYTES = 292 * 1024;
/**
 * Handlers that normalize phones carry libphonenumber-js's min metadata (every
 * country's calling code, trunk prefix and lengths): measured at about 120 KiB
 * minified (docs/deploy.md). Only they get the allowance, so growth elsewhere
 * is still caught.
 */
const PHONE_METADATA_BYTES = 128 * 1024;
// me: the member page's sign-in reads a phone as the program's region does, and the Shopify app proxy
// enrols a customer on the first visit, through the one enrolment (which normalizes phones).
const PHONE_HANDLERS: readonly string[] = ['members', 'deliveries', 'admin-jobs', 'me'];
const budgetOf = (fn: string) => BUNDLE_BUDGET_BYTES + (PHONE_HANDLERS.includes(fn) ? PHONE_METADATA_BYTES : 0);

type Resource = { Type: string; Properties?: any; DeletionPolicy?: string; UpdateReplacePolicy?: string };
const resourcesOf = (s: Synth, type: string): [string, Resource][] =>
  Object.entries(s.json.Resources as Record<string, Resource>).filter(([, r]) => r.Type === type);

const logicalId = (c: IConstruct) => Stack.of(c).getLogicalId(c.node.defaultChild as CfnFunction);
const asArray = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

/** Every IAM statement attached to the role of route function `fn`. */
function statementsOf(s: Synth, fn: FunctionName): any[] {
  const roleId = Stack.of(s.stack).getLogicalId(s.stack.routeFunctions.get(fn)!.role.node.defaultChild as any);
  return resourcesOf(s, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}
const actionsOf = (statements: any[]) => statements.flatMap((st) => asArray<string>(st.Action));

let dev: Synth;
let prod: Synth;

beforeAll(() => {
  // The whole app: real esbuild bundling and the cdk-nag plugin, which throws here
  // (NODE_ENV=test) on any unacknowledged error. Every route's handler exists, so prod
  // synthesizes exactly as `cdk synth` would.
  dev = synthStage('dev');
  prod = synthStage('prod');
}, 300_000);

describe.each([
  ['dev', () => dev],
  ['prod', () => prod],
] as const)('LoyaltyClub-%s', (stage, get) => {
  it('is named after the stage and tagged', () => {
    const s = get();
    expect(s.stack.stackName).toBe(`LoyaltyClub-${stage}`);
    for (const [, fn] of resourcesOf(s, 'AWS::Lambda::Function')) {
      expect(fn.Properties.Tags).toEqual(
        expect.arrayContaining([
          { Key: 'project', Value: 'loyalty-club' },
          { Key: 'stage', Value: stage },
        ]),
      );
    }
  });

  it('has exactly one DynamoDB table, shaped by shared/store/table-definition.ts', () => {
    const s = get();
    s.template.resourceCountIs('AWS::DynamoDB::Table', 0);
    s.template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    const [[, table]] = resourcesOf(s, 'AWS::DynamoDB::GlobalTable') as [[string, Resource]];
    const want = createTableInput('ignored');
    const byName = (a: { AttributeName: string }, b: { AttributeName: string }) => a.AttributeName.localeCompare(b.AttributeName);
    expect([...table.Properties.AttributeDefinitions].sort(byName)).toEqual([...want.AttributeDefinitions].sort(byName));
    expect(table.Properties.KeySchema).toEqual(want.KeySchema);
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(want.GlobalSecondaryIndexes);
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties.SSESpecification).toMatchObject({ SSEEnabled: true });
    expect(table.Properties.Replicas).toHaveLength(1);
    expect(table.Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    // Sign-in codes and rate windows expire by TTL, on the attribute the code writes.
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
  });

  it(stage === 'prod' ? 'protects and retains the table' : 'lets the table go with the stack', () => {
    const [[, table]] = resourcesOf(get(), 'AWS::DynamoDB::GlobalTable') as [[string, Resource]];
    const prodStage = stage === 'prod';
    expect(table.Properties.Replicas[0].DeletionProtectionEnabled).toBe(prodStage);
    expect(table.DeletionPolicy).toBe(prodStage ? 'Retain' : 'Delete');
    expect(table.UpdateReplacePolicy).toBe(prodStage ? 'Retain' : 'Delete');
  });

  it('makes one API Gateway route per ROUTES entry, to its function, payload 2.0', () => {
    const s = get();
    const routes = resourcesOf(s, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(PRESENT_ROUTES.map(routeKey).sort());

    const integrations = Object.fromEntries(resourcesOf(s, 'AWS::ApiGatewayV2::Integration'));
    for (const spec of PRESENT_ROUTES) {
      const route = routes.find((r) => r.RouteKey === routeKey(spec))!;
      const integrationId = route.Target['Fn::Join'][1][1].Ref as string;
      const integration = integrations[integrationId]!.Properties;
      expect(integration.IntegrationType).toBe('AWS_PROXY');
      expect(integration.PayloadFormatVersion).toBe('2.0');
      expect(integration.IntegrationUri['Fn::GetAtt'][0]).toBe(logicalId(s.stack.routeFunctions.get(spec.fn)!.fn));
    }
  });

  it('runs every function on nodejs22.x, arm64, 512 MB, 10 s, traced in dev only', () => {
    const s = get();
    // Route functions; the scheduled ones (longer timeouts) are checked in automations.test.ts.
    const routeIds = new Set([...s.stack.routeFunctions.values()].map((f) => logicalId(f.fn)));
    const fns = resourcesOf(s, 'AWS::Lambda::Function').filter(([id]) => routeIds.has(id));
    expect(fns).toHaveLength(PRESENT.length);
    for (const [, fn] of fns) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: 512,
        Timeout: 10,
      });
      // Tracing is billed per recorded trace and Lambda's sampling is fixed: dev traces, prod doesn't.
      expect(fn.Properties.TracingConfig).toEqual(stage === 'dev' ? { Mode: 'Active' } : undefined);
      expect(fn.Properties.Environment.Variables).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        LOYALTY_STAGE: stage,
        LOYALTY_CURRENCY: 'USD',
        TABLE_NAME: { Ref: s.stack.getLogicalId(s.stack.clubTable.table.node.defaultChild as any) },
      });
    }
  });

  it('gives every function the same report counter shards: a writer on more shards than the reports read would hide counts', () => {
    const s = get();
    const handlers = resourcesOf(s, 'AWS::Lambda::Function').filter(([, fn]) => fn.Properties.Environment?.Variables?.TABLE_NAME);
    expect(handlers.length).toBeGreaterThan(PRESENT.length);
    const shards = new Set(handlers.map(([, fn]) => fn.Properties.Environment.Variables.LOYALTY_COUNTER_SHARDS));
    // The stream processor's batches spread over 32 items in prod (docs/scale.md); a throwaway stage keeps the default.
    expect([...shards]).toEqual([stage === 'prod' ? '32' : '8']);
  });

  it("hands the stage's SMS guards to the functions that send members' codes, and to no other", () => {
    const s = get();
    // SMS cost money: a throwaway stage sends few codes, prod what a store's members need.
    const want = stage === 'prod' ? { perCountry: '200', dailySmsCap: '1000' } : { perCountry: '20', dailySmsCap: '50' };
    for (const fn of PRESENT) {
      const env = resourcesOf(s, 'AWS::Lambda::Function').find(([id]) => id === logicalId(s.stack.routeFunctions.get(fn)!.fn))![1]
        .Properties.Environment.Variables;
      const guards = { perCountry: env.LOYALTY_SIGN_IN_PER_COUNTRY, dailySmsCap: env.LOYALTY_SIGN_IN_DAILY_SMS_CAP };
      expect(guards, fn).toEqual(FUNCTION_ACCESS[fn].sendsCodes ? want : { perCountry: undefined, dailySmsCap: undefined });
    }
    expect(FUNCTION_ACCESS.me.sendsCodes).toBe(true);
  });

  it("grants no function dynamodb:* or Scan, and no wildcard but X-Ray and the costs report's reads", () => {
    const s = get();
    for (const [, policy] of resourcesOf(s, 'AWS::IAM::Policy')) {
      for (const st of policy.Properties.PolicyDocument.Statement) {
        const actions = asArray<string>(st.Action);
        expect(actions).not.toContain('*');
        expect(actions).not.toContain('dynamodb:*');
        expect(actions).not.toContain('dynamodb:Scan');
        if (asArray(st.Resource).includes('*')) {
          // These support no resource-level permissions (docs/costs.md); only the reports function has the last three.
          const unscoped = ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics', 'ce:GetCostAndUsage'];
          expect(actions.every((a) => a.startsWith('xray:') || unscoped.includes(a))).toBe(true);
        }
      }
    }
  });

  it.each(PRESENT)('gives %s the table access and token access it needs, nothing more', (fn) => {
    const s = get();
    const actions = actionsOf(statementsOf(s, fn));
    const dynamo = actions.filter((a) => a.startsWith('dynamodb:'));
    const tokenFn = ROUTES.some((r) => r.fn === fn && r.auth === 'token');
    const env = resourcesOf(s, 'AWS::Lambda::Function').find(([id]) => id === logicalId(s.stack.routeFunctions.get(fn)!.fn))![1].Properties
      .Environment.Variables;

    const table = FUNCTION_ACCESS[fn].table;
    if (table === 'none') expect(dynamo).toEqual([]);
    if (table === 'readUpdate') {
      // The member page: reads and its own balance change; deletes only in the identity claims' and name
      // index's partitions (a contact change, a rename); bulk writes only into the parked events.
      expect(dynamo).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']));
      const deletes = statementsOf(s, fn).filter((st) => actionsOf([st]).includes('dynamodb:DeleteItem'));
      for (const st of deletes)
        expect(st.Condition).toEqual({
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EMAIL#*', 'PHONE#*', 'SHOPIFY#*', 'WOOCOMMERCE#*', 'NAME#*'] },
        });
      const bulk = statementsOf(s, fn).filter((st) => actionsOf([st]).includes('dynamodb:BatchWriteItem'));
      for (const st of bulk) expect(st.Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['EVENTS#PARKED'] } });
    }
    if (table === 'readWrite')
      expect(dynamo).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']));
    if (table === 'read') {
      // The staff member list: Query and BatchGet, and not one write, but the costs report's kept bill in its own partition.
      expect(dynamo).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query']));
      const writes = statementsOf(s, fn).filter((st) => actionsOf([st]).some((a) => /^dynamodb:.*(Put|Update|Delete|Write)/.test(a)));
      if (FUNCTION_ACCESS[fn].readsCosts)
        expect(writes.map((st) => [actionsOf([st]), st.Condition])).toEqual([
          [['dynamodb:PutItem'], { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['BILLED'] } }],
        ]);
      else expect(writes).toEqual([]);
    }
    if (tokenFn) {
      expect(actions).toContain('secretsmanager:GetSecretValue');
      expect(env.LOYALTY_API_TOKEN_SECRET_ARN).toEqual({ Ref: s.stack.getLogicalId(s.stack.apiTokenSecret.node.defaultChild as any) });
    } else if (ROUTES.some((r) => r.fn === fn && r.auth === 'portal')) {
      // Members' pages: the portal signing key, to send sign-in codes the SMS panel's key, and, serving the
      // Shopify app proxy, the app's secret; never the API token.
      const portalSecret = { Ref: s.stack.getLogicalId(s.stack.pages.portalSecret.node.defaultChild as any) };
      const smsKey = s.stack.automations.senders && {
        Ref: s.stack.getLogicalId(s.stack.automations.senders.smsKey.node.defaultChild as any),
      };
      const appSecret = { Ref: s.stack.getLogicalId(s.stack.shopifyAppSecret.node.defaultChild as any) };
      const proxyFn = ROUTES.some((r) => r.fn === fn && r.auth === 'app-proxy');
      const secretStatements = statementsOf(s, fn).filter((st) => actionsOf([st]).some((a) => a.startsWith('secretsmanager:')));
      const expected = [...(smsKey ? [smsKey] : []), portalSecret, ...(proxyFn ? [appSecret] : [])];
      const key = (r: unknown) => JSON.stringify(r);
      expect(
        secretStatements
          .flatMap((st) => asArray(st.Resource))
          .map(key)
          .sort(),
      ).toEqual(expected.map(key).sort());
      if (proxyFn) expect(env.SHOPIFY_APP_SECRET_ARN).toEqual(appSecret);
      expect(env.LOYALTY_PORTAL_SECRET_ARN).toEqual(portalSecret);
      expect(env.LOYALTY_API_TOKEN_SECRET_ARN).toBeUndefined();
    } else {
      // Only the webhook receiver reads a secret: the signing secrets, never the API token.
      const tokenRef = { Ref: s.stack.getLogicalId(s.stack.apiTokenSecret.node.defaultChild as any) };
      const secretStatements = statementsOf(s, fn).filter((st) => asArray<string>(st.Action).some((a) => a.startsWith('secretsmanager:')));
      if (fn !== 'webhooks') expect(secretStatements).toEqual([]);
      for (const st of secretStatements) expect(asArray(st.Resource)).not.toContainEqual(tokenRef);
      expect(env.LOYALTY_API_TOKEN_SECRET_ARN).toBeUndefined();
    }
  });

  it('gives health no table or secret access at all', () => {
    if (!PRESENT.includes('health')) return;
    const actions = actionsOf(statementsOf(get(), 'health'));
    expect(actions.filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'))).toEqual([]);
  });

  it('throttles the default stage and logs access to a retained-for-a-while log group', () => {
    const s = get();
    const stages = resourcesOf(s, 'AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const props = stages[0]![1].Properties;
    expect(props.StageName).toBe('$default');
    expect(props.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(props.DefaultRouteSettings.ThrottlingBurstLimit).toBeGreaterThanOrEqual(props.DefaultRouteSettings.ThrottlingRateLimit);
    expect(props.AccessLogSettings.DestinationArn['Fn::GetAtt'][0]).toMatch(/^ApiAccessLogs/);
    expect(props.AccessLogSettings.Format).not.toMatch(/authorization|header/i);
  });

  it('sets retention on every log group', () => {
    const s = get();
    const groups = resourcesOf(s, 'AWS::Logs::LogGroup');
    const automationFns = [s.stack.automations.jobs, s.stack.automations.notifier].filter(Boolean).length;
    // Route functions, the API's access log, the automations, the webhook consumer, the shop-sync consumer and the stream processor.
    expect(groups).toHaveLength(
      PRESENT.length + 1 + automationFns + (s.stack.webhooks ? 1 : 0) + (s.stack.shopSync ? 1 : 0) + (s.stack.eventStream ? 1 : 0),
    );
    for (const [, g] of groups) expect(g.Properties.RetentionInDays).toBe(stage === 'prod' ? 365 : 30);
  });

  it('generates the token in Secrets Manager and puts no secret in the template', () => {
    const s = get();
    // The API token here; the SMS panel's key (set by hand after deploy) in automations.test.ts; the webhook signing secrets in webhooks.test.ts.
    const tokenId = s.stack.getLogicalId(s.stack.apiTokenSecret.node.defaultChild as any);
    const secrets = resourcesOf(s, 'AWS::SecretsManager::Secret').filter(([id]) => id === tokenId);
    expect(secrets).toHaveLength(1);
    expect(secrets[0]![1].Properties.SecretString).toBeUndefined();
    expect(secrets[0]![1].Properties.GenerateSecretString).toMatchObject({ PasswordLength: 48 });
    for (const [, secret] of resourcesOf(s, 'AWS::SecretsManager::Secret')) expect(secret.Properties.SecretString).toBeUndefined();
    expect(tokenLookingStrings(s.json)).toEqual([]);
  });

  it('outputs the API URL, table name and secret ARN', () => {
    const outputs = get().json.Outputs;
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['ApiUrl', 'TableName', 'ApiTokenSecretArn']));
  });

  it('passes cdk-nag AwsSolutions and Serverless with no unacknowledged error or warning', () => {
    const s = get();
    // cdk-nag 3 reports through policy validation, not annotations, so ask it directly.
    const findings = [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
      pack
        .validateScope(s.app)
        .violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`),
    );
    expect(findings).toEqual([]);
    expect(Annotations.fromStack(s.stack).findError('*', Match.anyValue())).toEqual([]);
  });
});

describe('cdk-nag acknowledgements', () => {
  it('are the reviewed set, each with a reason', () => {
    const acks = new Map<string, string>();
    for (const c of dev.app.node.findAll()) {
      for (const m of c.node.metadata) {
        if (m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(m.data as Record<string, string>)) {
          expect(reason.length, `${id} on ${c.node.path}`).toBeGreaterThan(40);
          acks.set(id.replace(/^annotation::/i, ''), reason);
        }
      }
    }
    // A new acknowledgement must be added here on purpose (and to docs/deploy.md).
    const expected = ['AwsSolutions-SMG4'];
    if (PRESENT.length > 0) expected.push('AwsSolutions-L1', 'AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-APIG4');
    // Automations (docs/automations.md) and the webhook pipeline: a DLQ has no DLQ of its own; the scheduler's invoke of each function's versions.
    expected.push('AwsSolutions-SQS3');
    for (const f of [dev.stack.automations.jobs, dev.stack.automations.notifier]) {
      if (f) expected.push(`AwsSolutions-IAM5[Resource::<${logicalId(f.fn)}.Arn>:*]`);
    }
    // Pages (docs/pages.md): the build-only bucket, CloudFront, Cognito's paid plan, and CDK's BucketDeployment custom resource.
    const pagesBucket = dev.stack.getLogicalId(dev.stack.pages.bucket.node.defaultChild as any);
    expected.push(
      ...['S1', 'CFR1', 'CFR2', 'CFR3', 'CFR4', 'COG3', 'COG8'].map((r) => `AwsSolutions-${r}`),
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map((a) => `AwsSolutions-IAM5[Action::${a}]`),
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      `AwsSolutions-IAM5[Resource::<${pagesBucket}.Arn>/*]`,
    );
    // Serverless (issue 15): runtime pinned, where failures go instead of a function DLQ, HTTP APIs' tracing, the alarm topic.
    expected.push(
      'Serverless-LambdaLatestVersion',
      'Serverless-LambdaDLQ',
      'Serverless-LambdaTracing',
      'Serverless-SQSRedrivePolicy',
      'Serverless-LambdaEventSourceMappingDestination',
      'Serverless-APIGWXrayEnabled',
      'Serverless-SNSRedrivePolicy',
      'AwsSolutions-SNS2',
    );
    expect([...acks.keys()].sort()).toEqual(expected.sort());
  });
});

describe('bundling', () => {
  it('bundles every handler with the local esbuild as minified ESM within budget', () => {
    const s = dev;
    for (const [fn, f] of s.stack.routeFunctions) {
      const code = (f.fn.node.defaultChild as CfnFunction).code as any;
      const hash = /^([0-9a-f]{64})\.zip$/.exec(s.stack.resolve(code.s3Key))?.[1];
      expect(hash, fn).toBeDefined();
      const dir = join(s.app.outdir, `asset.${hash}`);
      const bundle = join(dir, 'index.mjs');
      expect(existsSync(bundle), `${fn} bundle at ${bundle}`).toBe(true);
      expect(existsSync(`${bundle}.map`), `${fn} source map`).toBe(true);
      const text = readFileSync(bundle, 'utf8');
      expect(text.startsWith('import { createRequire')).toBe(true);
      expect(text).toMatch(/export\s*\{[^}]*as handler|export\s*\{\s*handler/);
      // Externalised: the runtime's SDK is used, never a bundled copy.
      expect(text).not.toMatch(/@smithy\/core|SmithyException/);
      expect(statSync(bundle).size, `${fn} bundle size`).toBeLessThanOrEqual(budgetOf(fn));
    }
  });
});

describe('the SMS guards from context', () => {
  const emptyDir = () => mkdtempSync(join(tmpdir(), 'no-handlers-'));
  const app = (context: Record<string, string>) =>
    createClubApp({ outdir: SYNTH_OUTDIR, context: { ...CDK_JSON_CONTEXT, stage: 'dev', ...context } }, { functionsDir: emptyDir() });

  it('takes signInPerCountry and signInDailySmsCap, each over the stage default', () => {
    expect(app({ signInDailySmsCap: '5000' }).stack.config.signIn).toEqual({ perCountry: 20, dailySmsCap: 5000 });
    expect(app({ signInPerCountry: '7', signInDailySmsCap: '9' }).stack.config.signIn).toEqual({ perCountry: 7, dailySmsCap: 9 });
  });

  it('fails the synth on a value the functions would refuse', () => {
    expect(() => app({ signInDailySmsCap: 'lots' })).toThrow(/LOYALTY_SIGN_IN_DAILY_SMS_CAP/);
    expect(() => app({ signInPerCountry: '0' })).toThrow(/LOYALTY_SIGN_IN_PER_COUNTRY/);
  });
});

describe('the report counter shards from context', () => {
  const app = (context: Record<string, string>) =>
    createClubApp(
      { context: { ...CDK_JSON_CONTEXT, stage: 'dev', ...context } },
      { functionsDir: mkdtempSync(join(tmpdir(), 'no-handlers-')) },
    );

  it('takes counterShards over the stage default, and fails the synth on what the functions would refuse', () => {
    expect(app({}).stack.config.counterShards).toBe(8);
    expect(app({ counterShards: '64' }).stack.config.counterShards).toBe(64);
    expect(() => app({ counterShards: '0' })).toThrow(/LOYALTY_COUNTER_SHARDS/);
    expect(() => app({ counterShards: '257' })).toThrow(/at most 256/);
  });
});

describe('missing handlers', () => {
  const emptyDir = () => mkdtempSync(join(tmpdir(), 'no-handlers-'));

  it('fail synth in prod', () => {
    expect(() =>
      createClubApp({ outdir: SYNTH_OUTDIR, context: { ...CDK_JSON_CONTEXT, stage: 'prod' } }, { functionsDir: emptyDir() }),
    ).toThrow(/handlers missing for routes/);
  });

  it('leave their routes out of dev, with a warning', () => {
    const { stack } = createClubApp({ outdir: SYNTH_OUTDIR, context: { ...CDK_JSON_CONTEXT, stage: 'dev' } }, { functionsDir: emptyDir() });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 0);
    // Only CDK's own deployment of the pages' build (docs/pages.md) remains.
    expect(
      Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) => !id.startsWith('CustomCDKBucketDeployment')),
    ).toEqual([]);
    expect(stack.missingHandlers).toEqual([...FUNCTION_NAMES]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('handler not written yet'))).toHaveLength(1);
  });
});

describe('the secret detector', () => {
  it('would notice a token in the template', () => {
    const leaked = {
      ...dev.json,
      Resources: { ...dev.json.Resources, X: { Type: 'T', Properties: { V: 'Zq3xR8mK2vN7pL4wT9bY6cF1hJ5sD0gA' } } },
    };
    expect(tokenLookingStrings(leaked)).toEqual(['Zq3xR8mK2vN7pL4wT9bY6cF1hJ5sD0gA']);
  });
});

/**
 * Strings that look like a generated credential: 24+ base64/url-safe chars mixing
 * upper, lower and digits. Logical ids, asset hashes and CDK's own analytics blob
 * are expected and skipped.
 */
function tokenLookingStrings(template: any): string[] {
  const logicalIds = new Set(Object.keys(template.Resources ?? {}));
  const { CDKMetadata: _analytics, ...resources } = template.Resources ?? {};
  const found: string[] = [];
  const walk = (x: unknown): void => {
    if (typeof x === 'string') {
      if (
        /^[A-Za-z0-9+/=_-]{24,}$/.test(x) &&
        /[A-Z]/.test(x) &&
        /[a-z]/.test(x) &&
        /[0-9]/.test(x) &&
        !logicalIds.has(x) &&
        // CDK-made names: construct path letters + an 8-hex hash (e.g. event rule permission ids).
        !/^[A-Za-z]+[0-9A-F]{8}$/.test(x) &&
        // ... and CloudFront's origin ids under the stack's own name (LoyaltyClubdevPagesDistributionOrigin1DB7C7D7C).
        !/^LoyaltyClub[A-Za-z0-9]+[0-9A-F]{8}$/.test(x) &&
        !/^[0-9a-f]{64}(\.zip)?$/.test(x)
      ) {
        found.push(x);
      }
    } else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') Object.values(x).forEach(walk);
  };
  walk({ ...template, Resources: resources });
  return found;
}
