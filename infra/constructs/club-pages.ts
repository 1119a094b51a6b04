import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aws, CfnOutput, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { CfnUserPoolGroup, Mfa, OAuthScope, UserPool, type UserPoolClient, type UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PAGE_CSP, writePages } from '../../web/pages';
import { frameAncestors } from '../../shared/portal/proxy-page';
import type { StageConfig } from '../stage-config';
import type { ClubApi } from './club-api';

export interface ClubPagesProps {
  readonly config: StageConfig;
  readonly api: ClubApi;
}

export const STAFF_GROUPS = ['viewer', 'operator', 'admin'] as const;

// /club and /admin are folders in the bucket: serve their index.html.
const INDEX_REWRITE = `function handler(event) {
  var r = event.request;
  if (/^\\/(club|admin)\\/?$/.test(r.uri)) r.uri = r.uri.replace(/\\/?$/, '/index.html');
  return r;
}`;

// Cognito's rule for a hosted UI prefix, and its reserved words.
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The hosted UI's domain prefix is one namespace for all of AWS (per region), so
 * it must differ between two stores' accounts. A hash of the construct path is
 * the same in every account; the account id would differ but would show in a
 * public URL. So: the first block of the stack's own id (a UUID CloudFormation
 * draws when the stack is created), resolved at deploy time, because the stack
 * is environment-agnostic and synth knows neither account nor region. Context
 * `staffDomainPrefix` sets it instead (a store that wants a readable one).
 */
export function staffDomainPrefix(config: Pick<StageConfig, 'stage' | 'staffDomainPrefix'>): string {
  const given = config.staffDomainPrefix;
  if (given !== undefined) {
    if (!DOMAIN_PREFIX.test(given) || /aws|amazon|cognito/.test(given)) {
      throw new Error(
        `staffDomainPrefix must be lower-case letters, digits and hyphens, at most 63, without aws, amazon or cognito (got ${JSON.stringify(given)})`,
      );
    }
    return given;
  }
  // arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid> -> the uuid's first 8 hex digits.
  const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
  return Fn.join('-', ['loyalty', config.stage, Fn.select(0, Fn.split('-', stackUuid))]);
}

/**
 * What people see (docs/pages.md): the member page (/club) and the staff
 * console (/admin), the same esbuild output the local server serves, in a
 * private S3 bucket behind CloudFront. CloudFront also forwards /v1/* to the
 * HTTP API, so the pages call the API on their own origin (no CORS). Members
 * come with a portal link signed by the portal secret; staff sign in through
 * the Cognito hosted UI, and their user pool group is their role.
 */
export class ClubPages extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly portalSecret: Secret;
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: ClubPagesProps) {
    super(scope, id);
    const { config } = props;

    this.portalSecret = new Secret(this, 'PortalSecret', {
      description: `Signs members' portal links (${config.stage})`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: config.removalPolicy,
    });
    Validations.of(this.portalSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the key invalidates every live portal link at once (they last 30 minutes); rotate by hand off-peak as docs/pages.md describes.',
    });

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: false,
      // Only build output lives here; a redeploy writes it again.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Holds only the public build of two static pages, written by the deployment; reads go through CloudFront, which the account can log.',
    });

    const rewrite = new CloudFrontFunction(this, 'IndexRewrite', { code: FunctionCode.fromInline(INDEX_REWRITE) });
    // The same headers as the local server's (web/pages.ts pageHeaders): framed by nobody, but
    // the member page by the shop's own origins when the stage names them (context portalFrameAncestors).
    const policy = (id: string, origins: readonly string[]) =>
      new ResponseHeadersPolicy(this, id, {
        securityHeadersBehavior: {
          contentSecurityPolicy: { contentSecurityPolicy: `${PAGE_CSP}; ${frameAncestors(origins)}`, override: true },
          contentTypeOptions: { override: true },
          // X-Frame-Options names no origin: with origins allowed, the CSP alone decides.
          ...(origins.length === 0 && { frameOptions: { frameOption: HeadersFrameOption.DENY, override: true } }),
          referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
          strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        },
      });
    const headers = policy('Headers', []);
    const memberPageHeaders = config.portalFrameAncestors.length ? policy('MemberPageHeaders', config.portalFrameAncestors) : headers;
    // https://<id>.execute-api.<region>.amazonaws.com -> the host name.
    const apiHost = Fn.select(2, Fn.split('/', props.api.httpApi.apiEndpoint));

    // One origin (one origin access control) for the console and the member page's own behaviour.
    const pagesOrigin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Loyalty club pages (${config.stage})`,
      defaultBehavior: {
        origin: pagesOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: rewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/club*': {
          origin: pagesOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: memberPageHeaders,
          functionAssociations: [{ function: rewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
        },
        '/v1/*': {
          origin: new HttpOrigin(apiHost),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
    });
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: "A store's members shop from anywhere; the store decides geo restrictions, not the club." },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The API behind /v1/* is throttled per stage and every route authenticates; a WAF web ACL is an optional cost the store can attach (docs/pages.md).',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'Access logs would record every member page view; the API keeps its own access log without headers. Enable standard logging if the store needs it.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason: 'The default *.cloudfront.net certificate; a store that adds its own domain sets TLSv1.2_2021 with its certificate.',
      },
    );

    // The build: the same files `npm start` serves, made at synth with esbuild (no Docker).
    const out = mkdtempSync(join(tmpdir(), 'loyalty-pages-'));
    writePages(out);

    // --- staff sign-in ---------------------------------------------------------
    this.userPool = new UserPool(this, 'Staff', {
      userPoolName: `loyalty-club-staff-${config.stage}`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      removalPolicy: config.removalPolicy,
    });
    const paidPlan =
      'Staff accounts are created by an admin (no self sign-up) and need MFA; threat protection (the Plus plan) is a paid option the store can turn on.';
    Validations.of(this.userPool).acknowledge({ id: 'AwsSolutions-COG3', reason: paidPlan }, { id: 'AwsSolutions-COG8', reason: paidPlan });
    for (const group of STAFF_GROUPS) {
      new CfnUserPoolGroup(this, `Group${group}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
        description: `Console role: ${group}`,
      });
    }
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: staffDomainPrefix(config) },
    });
    const consoleUrl = `https://${this.distribution.distributionDomainName}/admin/`;
    this.client = this.userPool.addClient('Console', {
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
        callbackUrls: [consoleUrl],
        logoutUrls: [consoleUrl],
      },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
    });

    const deployment = new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [
        Source.asset(out),
        // Tokens resolved at deploy time: where the console sends staff to sign in.
        Source.jsonData('admin/config.json', {
          domain: `${this.domain.domainName}.auth.${Stack.of(this).region}.amazoncognito.com`,
          clientId: this.client.userPoolClientId,
        }),
      ],
      // Tiny files: CloudFront revalidates instead of needing an invalidation (no cloudfront:* on '*').
      cacheControl: [CacheControl.noCache()],
      prune: true,
    });
    // The deployment's handler is CDK's own singleton custom resource (stack level), run only while deploying.
    const handler = Stack.of(this).node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    const bucketArn = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    const cdkOwned =
      "CDK's BucketDeployment custom resource: it runs only during a deploy and copies the build from the CDK asset bucket into this bucket.";
    for (const target of [deployment.handlerRole, ...(handler ? [handler] : [])]) {
      Validations.of(target).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: cdkOwned,
        },
        ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map((a) => ({
          id: `AwsSolutions-IAM5[Action::${a}]`,
          reason: `${cdkOwned} Object-level actions on the two buckets only.`,
        })),
        {
          id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
          reason: `${cdkOwned} Reads the build from the bootstrap asset bucket.`,
        },
        { id: `AwsSolutions-IAM5[Resource::<${bucketArn}.Arn>/*]`, reason: `${cdkOwned} Writes the pages' objects.` },
        { id: 'AwsSolutions-L1', reason: `${cdkOwned} Its runtime is chosen and updated by aws-cdk-lib.` },
        { id: 'Serverless-LambdaLatestVersion', reason: `${cdkOwned} Its runtime is chosen and updated by aws-cdk-lib.` },
        {
          id: 'Serverless-LambdaDLQ',
          reason: `${cdkOwned} CloudFormation invokes it and fails the deploy on its error; there is nothing to redeliver.`,
        },
        {
          id: 'Serverless-LambdaTracing',
          reason: `${cdkOwned} Its configuration belongs to aws-cdk-lib; a deploy's failure is in the CloudFormation events.`,
        },
      );
    }

    // Which functions read the portal secret or know the user pool: infra/function-access.ts.
    new CfnOutput(this, 'PagesUrl', {
      value: `https://${this.distribution.distributionDomainName}`,
      description: 'Member page at /club, staff console at /admin',
    });
    new CfnOutput(this, 'StaffUserPoolId', {
      value: this.userPool.userPoolId,
      description: 'Add staff here, in the viewer, operator or admin group',
    });
  }
}
