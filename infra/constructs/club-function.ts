import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LOCK_FILE, REPO_ROOT } from '../paths';
import type { StageConfig } from '../stage-config';

export interface ClubFunctionProps {
  readonly config: StageConfig;
  /** Absolute path of the TypeScript handler module (exports `handler`). */
  readonly entry: string;
  readonly description?: string;
  /** Added to the function's environment; the caller decides what the handler needs. */
  readonly environment?: Record<string, string>;
  /** @default 10 seconds */
  readonly timeout?: Duration;
}

// ESM output still meets CommonJS deps (middy plugins, some powertools internals)
// that call require(); esbuild's shim needs a real `require` in module scope.
const ESM_REQUIRE_SHIM =
  "import { createRequire as __loyaltyCreateRequire } from 'node:module'; const require = __loyaltyCreateRequire(import.meta.url);";

/**
 * One Lambda function the club's way: Node 22 on Graviton, ESM bundle built by
 * the locally installed esbuild, its own log group with retention, X-Ray, and a
 * role that starts with nothing but writing to that log group. Route handlers,
 * queue consumers and scheduled jobs should all be one of these; grant table,
 * secret or queue access on `fn` afterwards.
 */
export class ClubFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: ClubFunctionProps) {
    super(scope, id);
    const { config } = props;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });

    // Our own role instead of the default one with AWSLambdaBasicExecutionRole:
    // that managed policy lets the function write to every log group in the account.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${id} function (${config.stage})`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Handler', {
      entry: props.entry,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: LOCK_FILE,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      // Graviton: ~20% cheaper per GB-second and nothing native in the bundle to port.
      architecture: Architecture.ARM_64,
      // CPU scales with memory; at 512 MB cold starts (SDK + zod schemas) are about
      // half of 128 MB's and the faster run keeps the per-request cost about the same.
      memorySize: 512,
      // A few DynamoDB round trips with SDK retries fit easily; well under API Gateway's 30 s.
      timeout: props.timeout ?? Duration.seconds(10),
      // Per stage (StageConfig.tracing): each recorded trace is billed.
      tracing: config.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        LOYALTY_STAGE: config.stage,
        LOYALTY_CURRENCY: config.currency,
        LOYALTY_COUNTER_SHARDS: String(config.counterShards),
        POWERTOOLS_SERVICE_NAME: 'loyalty-club',
        POWERTOOLS_LOG_LEVEL: config.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        // Prefer deps' ESM builds so esbuild can tree-shake them.
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_SHIM,
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        // Stack traces need line mappings, not our sources shipped in the zip.
        sourcesContent: false,
        // The Node 22 runtime ships SDK v3; bundling it would triple every bundle
        // (the 250 KB budget) and slow cold starts, for a version pin we don't need.
        bundleAwsSDK: false,
        externalModules: ['@aws-sdk/*'],
        // Bundle with node_modules/esbuild: synth must work offline, without Docker.
        forceDockerBundling: false,
        logLevel: LogLevel.WARNING,
      },
    });

    const pinned =
      'Pinned to nodejs22.x (supported LTS): the bundle targets node22 and the handlers are tested on it. Moving to nodejs24.x is a deliberate change of runtime, esbuild target and CI together, not a side effect of a cdk-nag upgrade.';
    Validations.of(this.fn).acknowledge(
      { id: 'AwsSolutions-L1', reason: pinned },
      { id: 'Serverless-LambdaLatestVersion', reason: pinned },
    );
    Validations.of(this.fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'A function DLQ catches only asynchronous invocations: the routes are invoked synchronously by API Gateway, the webhook consumer by an SQS event source (its queue has a DLQ), and the asynchronously invoked jobs and notifier have an SQS on-failure destination, which also records the error.',
    });
    if (!config.tracing)
      Validations.of(this.fn).acknowledge({
        id: 'Serverless-LambdaTracing',
        reason:
          "Tracing is off in this stage (StageConfig.tracing): Lambda's fixed sampling would record nearly every request of a small store at $5 per million traces. Context tracing=true turns it on.",
      });
    // Tracing.ACTIVE adds xray:PutTraceSegments/PutTelemetryRecords on "*".
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions; "*" is the only valid resource. Nothing else on this role uses a wildcard (checked by test/infra).',
    });
  }
}
