/**
 * The pages on AWS: the build in a private bucket behind CloudFront (OAC),
 * /v1/* forwarded to the API, security headers, Cognito for staff with one
 * group per role, and the portal secret only where links are minted or read.
 * (Cognito and CloudFront can't run here; these assert the template.)
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { Template as CdkTemplate } from 'aws-cdk-lib/assertions';
import { createClubApp } from '../../infra/club-app';
import type { LoyaltyStack } from '../../infra/loyalty-stack';
import { CDK_JSON_CONTEXT, SENDERS_CONTEXT, SYNTH_OUTDIR, synthStage } from '../support/synth';

let stack: LoyaltyStack;
let template: Template;
beforeAll(() => {
  ({ stack, template } = synthStage('dev'));
}, 300_000);

const ref = (c: { node: { defaultChild?: unknown } }) => ({ Ref: stack.getLogicalId(c.node.defaultChild as any) });

describe('the pages stack', () => {
  it('keeps the bucket private, SSL-only, and reads it through CloudFront origin access control', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' }),
        ]),
      },
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
  });

  it('serves the pages over HTTPS with security headers and forwards /v1/* to the API uncached', () => {
    const [dist] = Object.values(template.findResources('AWS::CloudFront::Distribution')) as any[];
    const config = dist.Properties.DistributionConfig;
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultCacheBehavior.FunctionAssociations).toHaveLength(1);
    const api = config.CacheBehaviors.find((b: any) => b.PathPattern === '/v1/*');
    expect(api).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: expect.arrayContaining(['POST', 'PUT', 'PATCH', 'DELETE']),
    });
    // Managed CachingDisabled and AllViewerExceptHostHeader.
    expect(api.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(api.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: { ContentSecurityPolicy: Match.stringLikeRegexp("frame-ancestors 'none'"), Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        }),
      },
    });
  });

  it("lets the shop's origins frame the member page when the stage names them (context portalFrameAncestors), never the console", () => {
    // By default the member page has the console's headers: framed by nobody.
    const [dist] = Object.values(template.findResources('AWS::CloudFront::Distribution')) as any[];
    const club = dist.Properties.DistributionConfig.CacheBehaviors.find((b: any) => b.PathPattern === '/club*');
    expect(club.ResponseHeadersPolicyId).toEqual(dist.Properties.DistributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId);

    process.env.CDK_DOCKER = '/nonexistent/docker-must-not-be-used';
    const framed = createClubApp({
      outdir: SYNTH_OUTDIR,
      context: {
        ...CDK_JSON_CONTEXT,
        ...SENDERS_CONTEXT,
        stage: 'dev',
        portalFrameAncestors: 'https://shop.example,https://*.myshopify.com',
      },
    });
    const t = CdkTemplate.fromStack(framed.stack);
    const policies = t.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    const configs = Object.entries(policies).map(([id, p]: [string, any]) => [
      id,
      p.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig,
    ]);
    const member = configs.find(([, c]) =>
      /frame-ancestors https:\/\/shop\.example https:\/\/\*\.myshopify\.com;?/.test(c.ContentSecurityPolicy.ContentSecurityPolicy),
    );
    expect(member).toBeDefined();
    expect(member![1].FrameOptions).toBeUndefined();
    const [d] = Object.values(t.findResources('AWS::CloudFront::Distribution')) as any[];
    const behaviors = d.Properties.DistributionConfig;
    expect(behaviors.CacheBehaviors.find((b: any) => b.PathPattern === '/club*').ResponseHeadersPolicyId).toEqual({ Ref: member![0] });
    const consoleId = behaviors.DefaultCacheBehavior.ResponseHeadersPolicyId.Ref;
    expect((policies[consoleId] as any).Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.FrameOptions.FrameOption).toBe('DENY');
    // The app proxy's page (the me function) gets the same list.
    const me = framed.stack.routeFunctions.get('me')!.fn;
    const fn = t.findResources('AWS::Lambda::Function')[framed.stack.getLogicalId(me.node.defaultChild as any)] as any;
    expect(fn.Properties.Environment.Variables.PORTAL_FRAME_ANCESTORS).toBe('https://shop.example https://*.myshopify.com');
  }, 300_000);

  it('deploys the esbuild output (no Docker) and a console config naming the Cognito client', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: ref(stack.pages.bucket),
      SourceMarkers: Match.arrayWith([Match.objectLike({ '<<marker:0xbaba:0>>': Match.anyValue() })]),
    });
    const [deploy] = Object.values(template.findResources('Custom::CDKBucketDeployment')) as any[];
    expect(deploy.Properties.SourceObjectKeys).toHaveLength(2);
    expect(deploy.Properties.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
  });

  it('signs staff in with Cognito: admin-created accounts, MFA, a group per role, code flow to /admin/', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12 }) },
    });
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((g: any) => g.Properties.GroupName);
    expect(groups.sort()).toEqual(['admin', 'operator', 'viewer']);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: Match.arrayWith(['openid', 'email']),
      CallbackURLs: [{ 'Fn::Join': ['', ['https://', Match.anyValue(), '/admin/']] }],
    });
  });

  it('gives every bearer route the user pool, and the portal secret only to members (mints), me and notifications (check)', () => {
    const fns = template.findResources('AWS::Lambda::Function');
    const envOf = (fn: string) =>
      fns[stack.getLogicalId(stack.routeFunctions.get(fn as never)!.fn.node.defaultChild as any)]!.Properties.Environment.Variables;
    const portal = ref(stack.pages.portalSecret);
    expect(envOf('me').LOYALTY_PORTAL_SECRET_ARN).toEqual(portal);
    expect(envOf('me').COGNITO_USER_POOL_ID).toBeUndefined();
    expect(envOf('members')).toMatchObject({ LOYALTY_PORTAL_SECRET_ARN: portal, COGNITO_USER_POOL_ID: ref(stack.pages.userPool) });
    expect(envOf('members').LOYALTY_PORTAL_URL).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^PagesDistribution/), 'DomainName'] }]],
    });
    // The member's own consent and the messages' opt-out links.
    expect(envOf('notifications').LOYALTY_PORTAL_SECRET_ARN).toEqual(portal);
    expect(envOf('notifications').LOYALTY_PORTAL_URL).toBeUndefined();
    expect(envOf('earn').LOYALTY_PORTAL_SECRET_ARN).toBeUndefined();
    expect(envOf('earn').COGNITO_CLIENT_ID).toEqual(ref(stack.pages.client));
  });
});
