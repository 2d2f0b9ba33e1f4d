/**
 * The CDK app, synthesised once (esbuild bundles the functions locally, no Docker) and checked
 * with aws-cdk-lib/assertions, plus cdk-nag's AwsSolutions findings from CDK's validation report.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build';
import { CATALOGUE } from '../../infra/catalogue';
import { USER_GROUPS } from '../../infra/stacks/stateful-stack';
import { INDEXES, TTL_ATTRIBUTE, indexKeys } from '../../shared/adapters/aws/dynamodb/schema';
import { ROUTES, routeKey } from '../../shared/api/routes';

const ENV = { account: '000000000000', region: 'eu-west-1' };
const REPORT_FILE = 'validation-report.json'; // cx-api VALIDATION_REPORT_FILE

/** The project's feature flags, as `cdk synth` sees them. */
const cdkJsonContext = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

interface Violation {
  ruleName: string;
  severity: string;
  violatingConstructs?: { constructPath: string }[];
}
interface ValidationReport {
  pluginReports: { pluginName: string; violations: Violation[] }[];
}

const outdirs: string[] = [];
/**
 * Builds and synthesises the app into a fresh directory. Validation failures are written to the
 * report instead of thrown, so the template tests still run and the nag test names the findings.
 */
function synth(extraContext: Record<string, unknown> = {}, customise?: (built: ReturnType<typeof buildApp>) => void) {
  const outdir = mkdtempSync(join(tmpdir(), 'helpdesk-cdk-'));
  outdirs.push(outdir);
  const app = new App({
    outdir,
    context: { ...cdkJsonContext, '@aws-cdk/core:failSynthOnValidationErrors': false, ...extraContext },
  });
  const built = buildApp(app, { env: ENV });
  customise?.(built);
  app.synth();
  const report = JSON.parse(readFileSync(join(outdir, REPORT_FILE), 'utf8')) as ValidationReport;
  return { ...built, report };
}

const nagErrors = (report: ValidationReport) =>
  report.pluginReports
    .filter((p) => p.pluginName === 'AwsSolutions')
    .flatMap((p) => p.violations)
    .filter((v) => v.severity === 'error')
    .map((v) => `${v.ruleName} at ${(v.violatingConstructs ?? []).map((c) => c.constructPath).join(', ')}`);

/** Every statement of every IAM policy in a template. */
const statements = (t: Template) =>
  Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]);
const actionsOf = (s: { Action: string | string[] }) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

let built: ReturnType<typeof synth>;
let stateful: Template;
let stateless: Template;

beforeAll(() => {
  built = synth();
  stateful = Template.fromStack(built.stateful);
  stateless = Template.fromStack(built.stateless);
}, 120_000);

afterAll(() => {
  for (const d of outdirs) rmSync(d, { recursive: true, force: true });
});

describe('stateful stack', () => {
  it('builds the domain table from the schema module', () => {
    stateful.resourceCountIs('AWS::DynamoDB::Table', 1);
    stateful.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        SSESpecification: { SSEEnabled: true }, // AWS-managed key
      }),
    });
    const [table] = Object.values(stateful.findResources('AWS::DynamoDB::Table'));
    const gsis = table?.Properties.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown }[];
    expect(gsis).toHaveLength(INDEXES.length);
    expect(INDEXES).toHaveLength(5);
    for (const name of INDEXES) {
      const k = indexKeys(name);
      expect(gsis.find((g) => g.IndexName === name)?.KeySchema).toEqual([
        { AttributeName: k.partitionKey, KeyType: 'HASH' },
        { AttributeName: k.sortKey, KeyType: 'RANGE' },
      ]);
    }
  });

  it('has two private, encrypted, versioned, retained buckets; attachments log to the log bucket', () => {
    stateful.resourceCountIs('AWS::S3::Bucket', 2);
    const buckets = stateful.findResources('AWS::S3::Bucket');
    for (const b of Object.values(buckets)) {
      expect(b.DeletionPolicy).toBe('Retain');
      expect(b.Properties).toMatchObject({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
      });
    }
    const logBucketId = Object.keys(buckets).find((id) => id.startsWith('AccessLogsBucket'));
    stateful.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId }, LogFilePrefix: 'attachments/' },
    });
    // enforceSSL: each bucket policy denies non-TLS requests
    const policies = Object.values(stateful.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      expect(p.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('has a user pool with groups, strong passwords, optional TOTP and a public PKCE client', () => {
    stateful.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        DeletionProtection: 'ACTIVE',
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        UsernameAttributes: ['email'],
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: {
          PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true }),
        },
      }),
    });
    const groups = Object.values(stateful.findResources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual([...USER_GROUPS].sort());
    stateful.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
    });
  });

  it('has an encrypted, TLS-only dead-letter queue for the stream consumer', () => {
    stateful.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});

describe('stateless stack', () => {
  it('has exactly one arm64 nodejs22.x function per catalogue entry, with its own log group', () => {
    stateless.resourceCountIs('AWS::Lambda::Function', CATALOGUE.length);
    for (const spec of CATALOGUE) {
      stateless.hasResourceProperties('AWS::Lambda::Function', {
        Description: spec.description,
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: spec.memoryMb,
        Timeout: spec.timeoutSeconds,
        Handler: 'index.handler',
        LoggingConfig: { LogGroup: { Ref: Match.anyValue() } },
        Environment: {
          Variables: Match.objectLike({ TABLE_NAME: Match.anyValue(), POWERTOOLS_SERVICE_NAME: 'helpdesk', NODE_OPTIONS: '--enable-source-maps' }),
        },
      });
    }
    stateless.resourceCountIs('AWS::Logs::LogGroup', CATALOGUE.length + 1); // + API access logs
    for (const lg of Object.values(stateless.findResources('AWS::Logs::LogGroup'))) {
      expect(lg.Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('uses no AWS managed policies (no AWSLambdaBasicExecutionRole)', () => {
    for (const role of Object.values(stateless.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('has one route per ROUTES entry, JWT or public as declared, on the right function', () => {
    stateless.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTES.length);
    const routes = Object.values(stateless.findResources('AWS::ApiGatewayV2::Route'));
    const integrations = stateless.findResources('AWS::ApiGatewayV2::Integration');
    const functions = stateless.findResources('AWS::Lambda::Function');
    for (const r of ROUTES) {
      const route = routes.find((x) => x.Properties.RouteKey === routeKey(r));
      expect(route, routeKey(r)).toBeDefined();
      expect(route?.Properties.AuthorizationType, routeKey(r)).toBe(r.auth === 'jwt' ? 'JWT' : 'NONE');
      if (r.auth === 'jwt') expect(route?.Properties.AuthorizerId).toBeDefined();
      else expect(route?.Properties.AuthorizerId).toBeUndefined();
      // Target -> integration -> function, whose description names the catalogue entry
      const integrationId = route?.Properties.Target['Fn::Join'][1][1].Ref as string;
      const integration = integrations[integrationId]?.Properties;
      expect(integration).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      const fnId = integration?.IntegrationUri['Fn::GetAtt'][0] as string;
      expect(functions[fnId]?.Properties.Description).toBe(CATALOGUE.find((s) => s.name === r.fn)?.description);
    }
  });

  it('authorises with a JWT authoriser on the Cognito issuer and the app client', () => {
    stateless.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('UserPoolWebClient') })],
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.eu-west-1.amazonaws.com/', Match.anyValue()]] },
      },
    });
  });

  it('logs every request of the $default stage as JSON', () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
    const [stage] = Object.values(stateless.findResources('AWS::ApiGatewayV2::Stage'));
    const format = JSON.parse(stage?.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      routeKey: '$context.routeKey',
      status: '$context.status',
      latency: '$context.responseLatency',
    });
  });

  it('feeds the table stream to the events function with partial-batch failures and a DLQ', () => {
    const spec = CATALOGUE.find((s) => s.stream);
    expect(spec?.stream).toBeDefined();
    stateless.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp('StreamArn') },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: spec?.stream?.batchSize,
      MaximumBatchingWindowInSeconds: spec?.stream?.maxBatchingWindowSeconds,
      MaximumRetryAttempts: spec?.stream?.retryAttempts,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::ImportValue': Match.stringLikeRegexp('EventsDlq') } } },
    });
  });

  it('grants least privilege: no Scan anywhere, no table data access for the events function', () => {
    const all = [...statements(stateful), ...statements(stateless)].flatMap(actionsOf);
    expect(all).not.toContain('dynamodb:Scan');
    expect(all.filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);

    const [eventsPolicy] = Object.entries(stateless.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith('EventsRole'));
    const eventsActions = (eventsPolicy?.[1].Properties.PolicyDocument.Statement ?? []).flatMap(actionsOf);
    expect(eventsActions).toEqual(expect.arrayContaining(['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'sqs:SendMessage']));
    expect(eventsActions.filter((a: string) => /dynamodb:(Get|Put|Update|Delete|Query|Batch)Item|dynamodb:Query/.test(a))).toEqual([]);
  });

  it('outputs what a client needs', () => {
    for (const name of ['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'TableName']) stateless.hasOutput(name, {});
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('reports no unacknowledged errors', () => {
    expect(nagErrors(built.report)).toEqual([]);
  });

  it('is wired into the app: an insecure resource is reported', () => {
    // bundling off: this synth is only about the validation plumbing
    const canary = synth({ 'aws:cdk:bundling-stacks': [] }, ({ stateless: stack }) => {
      new sqs.Queue(stack, 'CanaryQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    });
    const errors = nagErrors(canary.report);
    expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions-SQS4 at .*CanaryQueue/)]));
  });

  it('acknowledges findings only with a written reason', () => {
    const acks: { path: string; id: string; reason: string }[] = [];
    const visit = (c: IConstruct) => {
      for (const m of c.node.metadata) {
        if (m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(m.data as Record<string, string>)) acks.push({ path: c.node.path, id, reason });
      }
      c.node.children.forEach(visit);
    };
    visit(built.app);
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) {
      expect(a.id, a.path).toMatch(/AwsSolutions-[A-Z]+\d+/);
      expect(a.reason.trim().length, `${a.id} at ${a.path}`).toBeGreaterThanOrEqual(20);
    }
    // none at app or stack level: each sits on the construct it is about
    expect(acks.filter((a) => !a.path.includes('/'))).toEqual([]);
  });
});
