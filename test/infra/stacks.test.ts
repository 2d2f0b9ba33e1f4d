/**
 * The CDK app, synthesised once (esbuild bundles the functions locally, no Docker) and checked
 * with aws-cdk-lib/assertions, plus cdk-nag's AwsSolutions findings from CDK's validation report.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build';
import { CATALOGUE, QUEUES, queueUrlVar } from '../../infra/catalogue';
import { DEFAULT_RAW_MAIL_RETENTION_DAYS, RECEIPT_RULE_NAME, USER_GROUPS } from '../../infra/stacks/stateful-stack';
import { TABLE_DATA_ACTIONS } from '../../infra/stacks/stateless-stack';
import { WEB_DIST } from '../../infra/stacks/web-content-stack';
import { INDEXES, TTL_ATTRIBUTE, indexKeys } from '../../shared/adapters/aws/dynamodb/schema';
import { ROUTES, routeKey } from '../../shared/api/routes';
import { TIMER_STATES, timerDefinition } from '../../shared/sla-timer';
import { STATIC_SECURITY_HEADERS, type WebConfig, contentSecurityPolicy } from '../../shared/web/security-headers';

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
  return { ...built, report, outdir };
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
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
/** The statements of the default policy of one catalogue function's role. */
const policyOf = (t: Template, fnName: string) => {
  const prefix = `${fnName
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')}Role`;
  const policies = Object.entries(t.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith(prefix));
  expect(policies, prefix).toHaveLength(1);
  return policies[0]?.[1].Properties.PolicyDocument.Statement as Statement[];
};
const resourcesOf = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
/** The logical id of a construct's CloudFormation resource (exports carry it in their name). */
const logicalId = (c: IConstruct) => Stack.of(c).getLogicalId(c.node.defaultChild as CfnElement);
/** An `Fn::ImportValue` of the stateful stack's export of `Ref`/`Fn::GetAtt <attr>` on a logical id. */
const importOfResource = (id: string, attr: 'Ref' | 'Arn') =>
  ({ 'Fn::ImportValue': expect.stringMatching(new RegExp(attr === 'Ref' ? `^HelpdeskStateful:ExportsOutputRef${id}` : `^HelpdeskStateful:ExportsOutputFnGetAtt${id}Arn`)) });

let built: ReturnType<typeof synth>;
let stateful: Template;
let stateless: Template;
let web: Template;
let webContent: Template;
/** web/dist/assets as the synth sees it (listed first: other work may rebuild web/dist meanwhile) */
let builtScripts: string[];

beforeAll(() => {
  builtScripts = readdirSync(join(WEB_DIST, 'assets')).filter((f) => !f.endsWith('.map'));
  built = synth();
  stateful = Template.fromStack(built.stateful);
  stateless = Template.fromStack(built.stateless);
  web = Template.fromStack(built.web);
  webContent = Template.fromStack(built.webContent);
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
    expect(INDEXES).toHaveLength(6);
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

  it('has one work queue and one dead-letter queue per QUEUES entry, plus the events DLQ', () => {
    stateful.resourceCountIs('AWS::SQS::Queue', 1 + 2 * Object.keys(QUEUES).length);
    stateful.resourceCountIs('AWS::SQS::QueuePolicy', 1 + 2 * Object.keys(QUEUES).length); // enforceSSL on each
    for (const p of Object.values(stateful.findResources('AWS::SQS::QueuePolicy'))) {
      expect(p.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('has the routing queue: encrypted, redriven to its DLQ, visibility timeout >= 6x the worker timeout', () => {
    const queues = stateful.findResources('AWS::SQS::Queue');
    const queueId = logicalId(built.stateful.queues.routing);
    const dlqId = logicalId(built.stateful.deadLetterQueues.routing);
    expect(queueId).not.toBe(dlqId);
    const worker = CATALOGUE.find((s) => s.consumes === 'routing');
    expect(worker?.name).toBe('routing-worker');
    // max(catalogue 30 s, 6 x 20 s worker timeout + 0 s batching window) = 120 s
    const visibility = Math.max(QUEUES.routing.visibilityTimeoutSeconds, 6 * (worker?.timeoutSeconds ?? Number.NaN) + QUEUES.routing.maxBatchingWindowSeconds);
    expect(visibility).toBe(120);
    expect(queues[queueId]?.Properties).toEqual({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: visibility,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: QUEUES.routing.maxReceiveCount },
    });
    expect(queues[dlqId]?.Properties).toEqual({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
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
    stateless.resourceCountIs('AWS::Logs::LogGroup', CATALOGUE.length + 2); // + API access logs, SLA timer executions
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

  it('authorises with a JWT authoriser on the Cognito issuer and both app clients (stateful, web)', () => {
    stateless.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [
          Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('^HelpdeskStateful:.*UserPoolWebClient') }),
          Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('^HelpdeskWeb:.*WebAppClient') }),
        ],
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
    stateless.resourceCountIs('AWS::Lambda::EventSourceMapping', CATALOGUE.filter((s) => s.stream || s.consumes).length);
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

  it('feeds the routing queue to the routing worker in batches, with partial-batch failures', () => {
    const worker = built.stateless.functions['routing-worker'];
    const mappings = Object.values(stateless.findResources('AWS::Lambda::EventSourceMapping')).filter(
      (m) => m.Properties.FunctionName?.Ref === logicalId(worker.fn),
    );
    expect(mappings).toHaveLength(1);
    expect(mappings[0]?.Properties).toEqual({
      FunctionName: { Ref: logicalId(worker.fn) },
      EventSourceArn: importOfResource(logicalId(built.stateful.queues.routing), 'Arn'),
      BatchSize: QUEUES.routing.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      // no MaximumBatchingWindowInSeconds: the catalogue's window is 0
    });
  });

  it('gives the events function the routing, outbound-mail and sla queue URLs and SendMessage on those queues only', () => {
    const routing = logicalId(built.stateful.queues.routing);
    const outbound = logicalId(built.stateful.queues['outbound-mail']);
    const sla = logicalId(built.stateful.queues.sla);
    const functions = stateless.findResources('AWS::Lambda::Function');
    const events = functions[logicalId(built.stateless.functions.events.fn)];
    expect(events?.Properties.Environment.Variables[queueUrlVar('routing')]).toEqual(importOfResource(routing, 'Ref'));
    expect(queueUrlVar('routing')).toBe('QUEUE_URL_ROUTING');
    // only senders get a queue URL
    for (const spec of CATALOGUE) {
      const vars = Object.keys(functions[logicalId(built.stateless.functions[spec.name].fn)]?.Properties.Environment.Variables);
      expect(vars.filter((v) => v.startsWith('QUEUE_URL_')), spec.name).toEqual((spec.sends ?? []).map(queueUrlVar));
    }

    const sends = policyOf(stateless, 'events').filter((s) => actionsOf(s).includes('sqs:SendMessage'));
    const targets = sends.flatMap(resourcesOf);
    expect(targets).toHaveLength(4);
    expect(targets).toEqual(
      expect.arrayContaining([
        importOfResource(routing, 'Arn'), // the work queues
        importOfResource(outbound, 'Arn'),
        importOfResource(sla, 'Arn'),
        importOfResource(logicalId(built.stateful.eventsDlq), 'Arn'), // the stream's on-failure destination
      ]),
    );
    expect(JSON.stringify(targets)).not.toContain(logicalId(built.stateful.deadLetterQueues.routing));
    // nothing else may send to the routing queue
    for (const spec of CATALOGUE.filter((s) => s.name !== 'events')) {
      const sendsToRouting = policyOf(stateless, spec.name).filter(
        (s) => actionsOf(s).includes('sqs:SendMessage') && JSON.stringify(s.Resource).includes(routing),
      );
      expect(sendsToRouting, spec.name).toEqual([]);
    }
  });

  it('lets the routing worker consume its queue and use the table like a request handler, without Scan', () => {
    const statementsOfWorker = policyOf(stateless, 'routing-worker');
    const actions = statementsOfWorker.flatMap(actionsOf);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).toEqual(expect.arrayContaining([...TABLE_DATA_ACTIONS, 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']));
    expect(actions).not.toContain('sqs:SendMessage');
    expect(actions.filter((a) => /^dynamodb:(GetRecords|GetShardIterator|DescribeStream|ListStreams)$/.test(a))).toEqual([]);
    const sqsResources = statementsOfWorker.filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:'))).flatMap(resourcesOf);
    expect(sqsResources).toEqual([importOfResource(logicalId(built.stateful.queues.routing), 'Arn')]);
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

/** A template string value with pseudo references filled in as they resolve in eu-west-1. */
const joined = (v: unknown): string => {
  if (typeof v === 'string') return v;
  const join = (v as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`not a string or Fn::Join: ${JSON.stringify(v)}`);
  return join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      if ((part as { Ref?: string }).Ref === 'AWS::URLSuffix') return 'amazonaws.com';
      throw new Error(`unexpected reference ${JSON.stringify(part)}`);
    })
    .join(join[0]);
};
/** The CSP of the web stack's response headers policy, directive -> sources. */
const cspOf = (t: Template) => {
  const [policy] = Object.values(t.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
  const csp = joined(policy?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
  return { csp, directives: new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources])) };
};
/** `{ 'Fn::ImportValue': name }` of an export of `stack` whose name matches `pattern`. */
const importOf = (stack: string, pattern: string) => ({ 'Fn::ImportValue': Match.stringLikeRegexp(`^${stack}:.*${pattern}`) });
/** The same for vitest's matchers. */
const importLike = (stack: string, pattern: string) => ({ 'Fn::ImportValue': expect.stringMatching(new RegExp(`^${stack}:.*${pattern}`)) });
const deployments = (t: Template) => Object.values(t.findResources('Custom::CDKBucketDeployment')).map((r) => r.Properties);
/**
 * The config.json the pages deployment writes, read from the staged asset, with each deploy-time
 * value shown as `[import <export name>]`.
 */
const deployedConfig = (t: Template, outdir: string) => {
  const pages = deployments(t).find((p) => p.DistributionId);
  const keys = (pages?.SourceObjectKeys ?? []) as string[];
  for (const [i, key] of keys.entries()) {
    const file = join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'config.json');
    if (!existsSync(file)) continue;
    let text = readFileSync(file, 'utf8');
    for (const [marker, value] of Object.entries((pages?.SourceMarkers?.[i] ?? {}) as Record<string, { 'Fn::ImportValue'?: string }>)) {
      text = text.replaceAll(marker, value['Fn::ImportValue'] ? `[import ${value['Fn::ImportValue']}]` : JSON.stringify(value));
    }
    return JSON.parse(text) as WebConfig;
  }
  throw new Error('no config.json in the pages deployment');
};

describe('SLA timers (Step Functions)', () => {
  const machines = () => stateless.findResources('AWS::StepFunctions::StateMachine');
  const machineId = () => logicalId(built.stateless.slaTimers);
  const timerFnId = () => logicalId(built.stateless.functions['sla-timer'].fn);

  it('has one Standard state machine, traced, logging every event (no execution data) to a log group encrypted with a rotated key', () => {
    stateless.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    const props = machines()[machineId()]?.Properties;
    expect(props.StateMachineType).toBe('STANDARD');
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
    expect(props.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    const logGroupId = props.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0] as string;
    const logGroup = stateless.findResources('AWS::Logs::LogGroup')[logGroupId]?.Properties;
    expect(logGroup.RetentionInDays).toBeGreaterThan(0);
    const keyId = logGroup.KmsKeyId['Fn::GetAtt'][0] as string;
    const key = stateless.findResources('AWS::KMS::Key')[keyId]?.Properties;
    expect(key.EnableKeyRotation).toBe(true);
    // CloudWatch Logs may use the key for this account's log groups in this region only
    const forLogs = (key.KeyPolicy.Statement as { Principal?: { Service?: string }; Condition?: unknown }[]).find((st) => st.Principal?.Service === 'logs.eu-west-1.amazonaws.com');
    expect(JSON.stringify(forLogs?.Condition)).toContain(':logs:eu-west-1:000000000000:log-group:*');
  });

  it('runs exactly the shared definition (the one the local runtime runs), its Task the sla-timer function', () => {
    const def = machines()[machineId()]?.Properties.DefinitionString;
    // Fn::Join of literal JSON and the function's ARN: put a marker where the ARN goes, parse, compare
    const MARK = 'arn:aws:lambda:eu-west-1:000000000000:function:MARK';
    const parts = def['Fn::Join'][1] as unknown[];
    expect(def['Fn::Join'][0]).toBe('');
    const text = parts
      .map((p) => {
        if (typeof p === 'string') return p;
        expect(p).toEqual({ 'Fn::GetAtt': [timerFnId(), 'Arn'] }); // no other token in the definition
        return MARK;
      })
      .join('');
    const parsed = JSON.parse(text);
    expect(parsed).toEqual(timerDefinition(MARK));
    expect(parsed.States[TIMER_STATES.wait]).toEqual({ Type: 'Wait', TimestampPath: '$.wakeAt', Next: TIMER_STATES.check });
    expect(parsed.States[TIMER_STATES.check].Resource).toBe(MARK);
    expect(CATALOGUE.filter((s) => s.timerCheck).map((s) => s.name)).toEqual(['sla-timer']);
  });

  it("lets the state machine's role invoke the sla-timer function only (its unqualified ARN), and nothing else of Lambda or Step Functions", () => {
    const roleId = machines()[machineId()]?.Properties.RoleArn['Fn::GetAtt'][0] as string;
    const policies = Object.values(stateless.findResources('AWS::IAM::Policy')).filter((p) =>
      (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId),
    );
    const sts = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
    const invoke = sts.filter((st) => actionsOf(st).some((a) => a.startsWith('lambda:')));
    expect(invoke).toHaveLength(1);
    expect(actionsOf(invoke[0]!)).toEqual(['lambda:InvokeFunction']);
    expect(resourcesOf(invoke[0]!)).toEqual([{ 'Fn::GetAtt': [timerFnId(), 'Arn'] }]);
    expect(sts.flatMap(actionsOf).filter((a) => a.startsWith('states:') || a.startsWith('dynamodb:') || a.startsWith('sqs:'))).toEqual([]);
    // the state machine assumes the role, nothing else does
    const role = stateless.findResources('AWS::IAM::Role')[roleId]?.Properties;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({ Principal: { Service: 'states.amazonaws.com' } })]);
  });

  it('lets the functions that arm timers start executions of this machine and stop its executions, and no other function either', () => {
    const armers = CATALOGUE.filter((s) => s.armsTimers).map((s) => s.name);
    expect(armers).toEqual(['sla-worker']);
    const executions = {
      'Fn::Join': ['', ['arn:aws:states:eu-west-1:000000000000:execution:', { 'Fn::GetAtt': [machineId(), 'Name'] }, ':*']],
    };
    for (const spec of CATALOGUE) {
      const sts = policyOf(stateless, spec.name).filter((st) => actionsOf(st).some((a) => a.startsWith('states:')));
      if (!spec.armsTimers) {
        expect(sts, spec.name).toEqual([]);
        continue;
      }
      expect(sts.map((st) => ({ actions: actionsOf(st), resources: resourcesOf(st) }))).toEqual([
        { actions: ['states:StartExecution'], resources: [{ Ref: machineId() }] },
        { actions: ['states:StopExecution'], resources: [executions] },
      ]);
    }
  });

  it('gives SLA_TIMER_STATE_MACHINE_ARN to the functions that arm timers only', () => {
    const functions = stateless.findResources('AWS::Lambda::Function');
    for (const spec of CATALOGUE) {
      const vars = functions[logicalId(built.stateless.functions[spec.name].fn)]?.Properties.Environment.Variables;
      if (spec.armsTimers) expect(vars.SLA_TIMER_STATE_MACHINE_ARN, spec.name).toEqual({ Ref: machineId() });
      else expect(vars.SLA_TIMER_STATE_MACHINE_ARN, spec.name).toBeUndefined();
    }
    stateless.hasOutput('SlaTimerStateMachineArn', { Value: { Ref: machineId() } });
  });

  it('feeds the sla queue to the sla worker; the timer check uses the table (no Scan) and consumes nothing', () => {
    const worker = built.stateless.functions['sla-worker'];
    const mappings = Object.values(stateless.findResources('AWS::Lambda::EventSourceMapping')).filter((m) => m.Properties.FunctionName?.Ref === logicalId(worker.fn));
    expect(mappings.map((m) => m.Properties.EventSourceArn)).toEqual([importOfResource(logicalId(built.stateful.queues.sla), 'Arn')]);
    const check = policyOf(stateless, 'sla-timer').flatMap(actionsOf);
    expect(check).toEqual(expect.arrayContaining(TABLE_DATA_ACTIONS));
    expect(check.filter((a) => a.startsWith('sqs:') || a.startsWith('states:') || a === 'dynamodb:Scan')).toEqual([]);
    expect(CATALOGUE.find((s) => s.name === 'sla-timer')?.consumes).toBeUndefined();
  });
});

describe('web stack (hosting)', () => {
  it('deploys in the order stateful -> web -> stateless -> web content', () => {
    const deps = (s: { dependencies: { stackName: string }[] }) => s.dependencies.map((d) => d.stackName).sort();
    expect(deps(built.web)).toEqual(['HelpdeskStateful']);
    expect(deps(built.stateless)).toEqual(['HelpdeskStateful', 'HelpdeskWeb']);
    expect(deps(built.webContent)).toEqual(['HelpdeskStateless', 'HelpdeskWeb']);
  });

  it('keeps the site bucket private: readable by this distribution only, through origin access control', () => {
    const buckets = web.findResources('AWS::S3::Bucket');
    const siteId = Object.keys(buckets).find((id) => id.startsWith('SiteBucket')) as string;
    const logsId = Object.keys(buckets).find((id) => id.startsWith('LogsBucket')) as string;
    expect(buckets[siteId]?.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'site/' },
    });
    expect(buckets[siteId]?.Properties.WebsiteConfiguration).toBeUndefined();

    const [sitePolicy] = Object.values(web.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: siteId } } }));
    const statements = sitePolicy?.Properties.PolicyDocument.Statement as { Effect: string; Principal: unknown; Action: unknown; Condition?: unknown }[];
    expect(statements.filter((st) => st.Effect === 'Allow')).toEqual([
      expect.objectContaining({
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Condition: {
          StringEquals: { 'AWS:SourceArn': { 'Fn::Join': ['', expect.arrayContaining([':distribution/', { Ref: expect.stringMatching(/^Distribution/) }])] } },
        },
      }),
    ]);
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));

    web.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    web.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    web.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: [
          Match.objectLike({
            DomainName: { 'Fn::GetAtt': [siteId, 'RegionalDomainName'] },
            OriginAccessControlId: { 'Fn::GetAtt': [Match.stringLikeRegexp('OriginAccessControl'), 'Id'] },
            S3OriginConfig: { OriginAccessIdentity: '' },
          }),
        ],
      }),
    });
  });

  it('serves the single-page app over HTTPS only, with index.html for every page path, and logs requests', () => {
    const [distribution] = Object.values(web.findResources('AWS::CloudFront::Distribution'));
    const config = distribution?.Properties.DistributionConfig;
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'], Compress: true });
    expect(config.CacheBehaviors).toBeUndefined(); // caching follows each object's Cache-Control
    expect(config.CustomErrorResponses).toEqual(
      [403, 404].map((code) => ({ ErrorCode: code, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 })),
    );
    const logsId = Object.keys(web.findResources('AWS::S3::Bucket')).find((id) => id.startsWith('LogsBucket'));
    expect(config.Logging).toEqual({ Bucket: { 'Fn::GetAtt': [logsId, 'RegionalDomainName'] }, IncludeCookies: false, Prefix: 'cloudfront/' });
    // CloudFront standard logs are delivered through an ACL: the log bucket keeps ACLs enabled
    web.hasResourceProperties('AWS::S3::Bucket', { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } });
    expect(config.ViewerCertificate).toBeUndefined(); // *.cloudfront.net unless a custom domain is configured
  });

  it('sends the shared CSP (no inline scripts) and the other security headers', () => {
    const { csp, directives } = cspOf(web);
    expect(csp).toBe(contentSecurityPolicy({ api: 'https://*.execute-api.eu-west-1.amazonaws.com' }));
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);

    const [policy] = Object.values(web.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const config = policy?.Properties.ResponseHeadersPolicyConfig;
    expect(config.SecurityHeadersConfig).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: expect.any(Number), IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: STATIC_SECURITY_HEADERS['x-frame-options'], Override: true },
      ReferrerPolicy: { ReferrerPolicy: STATIC_SECURITY_HEADERS['referrer-policy'], Override: true },
    });
    expect(config.SecurityHeadersConfig.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(365 * 24 * 3600);
    expect(config.CustomHeadersConfig.Items).toEqual([
      { Header: 'Permissions-Policy', Value: STATIC_SECURITY_HEADERS['permissions-policy'], Override: true },
    ]);
    const [distribution] = Object.values(web.findResources('AWS::CloudFront::Distribution'));
    expect(distribution?.Properties.DistributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({
      Ref: Object.keys(web.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0],
    });
  });

  it("has the web app's own PKCE client, calling back to the distribution", () => {
    const distributionId = Object.keys(web.findResources('AWS::CloudFront::Distribution'))[0];
    const url = (path: string) => ({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, path]] });
    web.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    web.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      UserPoolId: importOf('HelpdeskStateful', 'UserPool'),
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      CallbackURLs: [url('/auth/callback')],
      LogoutURLs: [url('/login')],
    });
    for (const name of ['WebUrl', 'DistributionId', 'WebClientId']) web.hasOutput(name, {});
  });
});

describe('web content stack', () => {
  it('copies the built app: hashed assets immutable for a year and kept, pages no-cache, then invalidates', () => {
    const all = deployments(webContent);
    expect(all).toHaveLength(2);
    const assets = all.find((d) => d.DestinationBucketKeyPrefix === 'assets/');
    const pages = all.find((d) => d.DestinationBucketKeyPrefix === undefined);
    const siteBucket = importLike('HelpdeskWeb', 'SiteBucket');
    expect(assets).toMatchObject({
      DestinationBucketName: siteBucket,
      Prune: false,
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    expect(assets?.DistributionId).toBeUndefined();
    expect(pages).toMatchObject({
      DestinationBucketName: siteBucket,
      Prune: true,
      Exclude: ['assets/*'],
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionId: importLike('HelpdeskWeb', 'Distribution'),
      DistributionPaths: ['/*'],
    });
    // assets first, so a new index.html never names a script that is not there yet
    const [pagesId] = Object.entries(webContent.findResources('Custom::CDKBucketDeployment')).find(([, r]) => r.Properties.DistributionId) ?? [];
    const [assetsId] = Object.entries(webContent.findResources('Custom::CDKBucketDeployment')).find(([, r]) => !r.Properties.DistributionId) ?? [];
    expect(webContent.findResources('Custom::CDKBucketDeployment')[pagesId as string]?.DependsOn).toEqual(expect.arrayContaining([assetsId]));
  });

  it('uploads index.html and the scripts of web/dist, without source maps', () => {
    const staged = (d: { SourceObjectKeys: string[] }) =>
      d.SourceObjectKeys.flatMap((key) => readdirSync(join(built.outdir, `asset.${key.replace(/\.zip$/, '')}`)));
    const [assets, pages] = [deployments(webContent).find((d) => d.DestinationBucketKeyPrefix), deployments(webContent).find((d) => d.DistributionId)];
    expect(builtScripts.length).toBeGreaterThan(0);
    expect(staged(assets).sort()).toEqual([...builtScripts].sort());
    expect(staged(pages).sort()).toEqual(['config.json', 'index.html']);
  });

  it('writes /config.json for Cognito sign-in with the API URL and the web client, filled in at deploy time', () => {
    const config = deployedConfig(webContent, built.outdir);
    expect(config).toEqual({
      apiUrl: expect.stringMatching(/^\[import HelpdeskStateless:.*HttpApi.*ApiEndpoint.*\]$/),
      reopenWindowDays: 7,
      auth: {
        mode: 'cognito',
        domain: '', // no authDomainPrefix in this synth
        clientId: expect.stringMatching(/^\[import HelpdeskWeb:.*WebAppClient.*\]$/),
        redirectUri: expect.stringMatching(/^https:\/\/\[import HelpdeskWeb:.*Distribution.*DomainName.*\]\/auth\/callback$/),
        logoutUri: expect.stringMatching(/^https:\/\/\[import HelpdeskWeb:.*Distribution.*DomainName.*\]\/login$/),
        region: 'eu-west-1',
      },
    });
  });

  it('runs the copy function with its own role, no AWS managed policy, and a log group with retention', () => {
    for (const role of Object.values(webContent.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    webContent.resourceCountIs('AWS::Lambda::Function', 1); // the BucketDeployment singleton
    webContent.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('DeploymentLogs') } } });
    webContent.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('fails the synth with a clear message when the web app is not built', () => {
    const empty = mkdtempSync(join(tmpdir(), 'helpdesk-web-'));
    outdirs.push(empty);
    const app = new App({ outdir: empty, context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [] } });
    expect(() => buildApp(app, { env: ENV, webDist: join(empty, 'dist') })).toThrow(/run `npm run build:web`/);
  });
});

describe('HTTP API CORS', () => {
  it('allows the distribution origin only, with the methods and headers the web app uses', () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: [{ 'Fn::Join': ['', ['https://', importOf('HelpdeskWeb', 'Distribution.*DomainName')]] }],
        AllowMethods: [...new Set(ROUTES.map((r) => r.method)), 'OPTIONS'],
        AllowHeaders: ['authorization', 'content-type', 'if-match'],
        ExposeHeaders: ['etag', 'location'],
        MaxAge: 3600,
      },
    });
    const [api] = Object.values(stateless.findResources('AWS::ApiGatewayV2::Api'));
    expect(api?.Properties.CorsConfiguration.AllowCredentials).toBeUndefined();
    // every route's method is allowed
    expect(api?.Properties.CorsConfiguration.AllowMethods).toEqual(expect.arrayContaining([...new Set(ROUTES.map((r) => r.method))]));
  });
});

describe('deploy options (context)', () => {
  let options: ReturnType<typeof synth>;
  beforeAll(() => {
    options = synth({
      'aws:cdk:bundling-stacks': [], // templates only
      allowLocalOrigins: 'true',
      authDomainPrefix: 'helpdesk-test',
      webDomain: 'help.example.com',
      webCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000',
    });
  }, 120_000);

  it('allowLocalOrigins adds the local web app to CORS; a custom domain replaces the CloudFront one', () => {
    Template.fromStack(options.stateless).hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://help.example.com', 'http://localhost:3000', 'http://127.0.0.1:3000'] }),
    });
    Template.fromStack(options.web).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://help.example.com/auth/callback'],
      LogoutURLs: ['https://help.example.com/login'],
    });
  });

  it('a custom domain gets its certificate and TLS 1.2 (2021) at least, and stays nag-clean without the CFR4 acknowledgement', () => {
    Template.fromStack(options.web).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['help.example.com'],
        ViewerCertificate: { AcmCertificateArn: Match.stringLikeRegexp('^arn:aws:acm:us-east-1:'), MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
      }),
    });
    expect(nagErrors(options.report)).toEqual([]);
  });

  it('with a hosted UI domain, the CSP and config.json name it', () => {
    const auth = 'https://helpdesk-test.auth.eu-west-1.amazoncognito.com';
    const { csp, directives } = cspOf(Template.fromStack(options.web));
    expect(csp).toBe(contentSecurityPolicy({ api: 'https://*.execute-api.eu-west-1.amazonaws.com', auth }));
    expect(directives.get('connect-src')).toContain(auth);
    expect(directives.get('form-action')).toContain(auth);
    const config = deployedConfig(Template.fromStack(options.webContent), options.outdir);
    expect(config.auth).toMatchObject({ mode: 'cognito', domain: 'helpdesk-test.auth.eu-west-1.amazoncognito.com', redirectUri: 'https://help.example.com/auth/callback' });
  });
});

describe('e-mail', () => {
  const MAIL_CONTEXT = {
    'aws:cdk:bundling-stacks': [], // templates only
    supportAddresses: 'Support@help.example.com, billing@help.example.com',
    mailDomain: 'help.example.com',
    rawMailRetentionDays: '30',
    mailFromName: 'Example Help',
    unknownSenders: 'refuse',
    autoReplyLimit: '2',
    portalUrl: 'https://help.example.com',
  };
  let mail: ReturnType<typeof synth>;
  let mailStateful: Template;
  let mailStateless: Template;
  beforeAll(() => {
    mail = synth(MAIL_CONTEXT);
    mailStateful = Template.fromStack(mail.stateful);
    mailStateless = Template.fromStack(mail.stateless);
  }, 120_000);

  const blobBucketId = () => logicalId(built.stateful.attachmentsBucket);
  const topicId = () => logicalId(mail.stateful.inboundMailTopic!);
  const bucketArn = () => ({ 'Fn::GetAtt': [blobBucketId(), 'Arn'] });
  const objectsUnder = (prefix: string) => ({ 'Fn::Join': ['', [bucketArn(), `/${prefix}*`]] });
  const importedObjectsUnder = (prefix: string) => ({ 'Fn::Join': ['', [importOfResource(blobBucketId(), 'Arn'), `/${prefix}*`]] });
  /** Statements of the blob bucket's policy that allow something to a service. */
  const serviceGrants = (t: Template) =>
    Object.values(t.findResources('AWS::S3::BucketPolicy'))
      .filter((p) => p.Properties.Bucket.Ref === blobBucketId())
      .flatMap((p) => p.Properties.PolicyDocument.Statement as (Statement & { Principal: unknown; Condition?: unknown })[])
      .filter((s) => s.Effect === 'Allow');

  it('without supportAddresses: no receipt rule set, no SES access to the bucket, no identity', () => {
    stateful.resourceCountIs('AWS::SES::ReceiptRuleSet', 0);
    stateful.resourceCountIs('AWS::SES::ReceiptRule', 0);
    stateful.resourceCountIs('AWS::SES::EmailIdentity', 0);
    expect(serviceGrants(stateful)).toEqual([]);
  });

  it('with supportAddresses: one rule storing mail for them under inbound/, spam and virus scan on, TLS required', () => {
    mailStateful.resourceCountIs('AWS::SES::ReceiptRuleSet', 1);
    mailStateful.resourceCountIs('AWS::SES::ReceiptRule', 1);
    const [setId, set] = Object.entries(mailStateful.findResources('AWS::SES::ReceiptRuleSet'))[0] ?? [];
    expect(set?.Properties.RuleSetName).toBe('HelpdeskStateful-inbound-mail');
    const [rule] = Object.values(mailStateful.findResources('AWS::SES::ReceiptRule'));
    expect(rule?.Properties).toEqual({
      RuleSetName: { Ref: setId },
      Rule: {
        Name: RECEIPT_RULE_NAME,
        Enabled: true,
        Recipients: ['support@help.example.com', 'billing@help.example.com'],
        ScanEnabled: true,
        TlsPolicy: 'Require',
        Actions: [{ S3Action: { BucketName: { Ref: blobBucketId() }, ObjectKeyPrefix: 'inbound/', TopicArn: { Ref: topicId() } } }],
      },
    });
    // SES checks its access when the rule is created: the bucket, topic and key policies exist first
    const policyId = Object.entries(mailStateful.findResources('AWS::S3::BucketPolicy')).find(([, p]) => p.Properties.Bucket.Ref === blobBucketId())?.[0];
    const topicPolicyId = Object.keys(mailStateful.findResources('AWS::SNS::TopicPolicy'))[0];
    expect(rule?.DependsOn).toEqual(expect.arrayContaining([policyId, topicPolicyId]));
    for (const name of ['ReceiptRuleSetName', 'InboundMxRecord']) mailStateful.hasOutput(name, {});
    mailStateful.hasOutput('InboundMxRecord', { Value: '10 inbound-smtp.eu-west-1.amazonaws.com' });
  });

  it('lets SES put objects under inbound/ only, for this account and this receipt rule only', () => {
    const grants = serviceGrants(mailStateful);
    expect(grants).toEqual([
      {
        Sid: 'AllowSesToStoreInboundMail',
        Effect: 'Allow',
        Principal: { Service: 'ses.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: objectsUnder('inbound/'),
        Condition: {
          StringEquals: {
            'aws:SourceAccount': ENV.account,
            'aws:SourceArn': `arn:aws:ses:${ENV.region}:${ENV.account}:receipt-rule-set/HelpdeskStateful-inbound-mail:receipt-rule/${RECEIPT_RULE_NAME}`,
          },
        },
      },
    ]);
  });

  it('notifies the inbound-mail queue through an encrypted topic only this receipt rule may publish to; no S3 notifications', () => {
    const queueId = logicalId(mail.stateful.queues['inbound-mail']);
    const ruleArn = `arn:aws:ses:${ENV.region}:${ENV.account}:receipt-rule-set/HelpdeskStateful-inbound-mail:receipt-rule/${RECEIPT_RULE_NAME}`;
    const only = { StringEquals: { 'aws:SourceAccount': ENV.account, 'aws:SourceArn': ruleArn } };
    // the receipt carries DMARC's policy and the envelope recipients; an S3 notification would not
    mailStateful.resourceCountIs('Custom::S3BucketNotifications', 0);
    stateful.resourceCountIs('Custom::S3BucketNotifications', 0);
    stateful.resourceCountIs('AWS::SNS::Topic', 0);
    const topic = mailStateful.findResources('AWS::SNS::Topic')[topicId()]!;
    const keyId = Object.keys(mailStateful.findResources('AWS::KMS::Key'))[0]!;
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(mailStateful.findResources('AWS::KMS::Key')[keyId]?.Properties.EnableKeyRotation).toBe(true);
    const keyGrants = (mailStateful.findResources('AWS::KMS::Key')[keyId]!.Properties.KeyPolicy.Statement as (Statement & { Principal?: { Service?: string }; Condition?: unknown })[]).filter(
      (st) => st.Principal?.Service === 'ses.amazonaws.com',
    );
    expect(keyGrants).toEqual([expect.objectContaining({ Effect: 'Allow', Condition: only })]);
    const topicStatements = Object.values(mailStateful.findResources('AWS::SNS::TopicPolicy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as (Statement & { Principal?: { Service?: string }; Condition?: unknown })[],
    );
    const sesPublish = topicStatements.filter((st) => st.Principal?.Service === 'ses.amazonaws.com');
    expect(sesPublish).toEqual([expect.objectContaining({ Effect: 'Allow', Action: 'sns:Publish', Condition: only })]);
    expect(topicStatements.some((st) => st.Effect === 'Deny' && JSON.stringify(st.Condition).includes('aws:SecureTransport'))).toBe(true);
    const [subscription] = Object.values(mailStateful.findResources('AWS::SNS::Subscription'));
    expect(subscription?.Properties).toMatchObject({ Protocol: 'sqs', RawMessageDelivery: true, TopicArn: { Ref: topicId() }, Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    const queue = mailStateful.findResources('AWS::SQS::Queue')[queueId]?.Properties;
    expect(queue).toMatchObject({ SqsManagedSseEnabled: true });
  });

  it('expires raw mail after rawMailRetentionDays (default 90) and noncurrent versions', () => {
    const rules = (t: Template) => t.findResources('AWS::S3::Bucket')[blobBucketId()]?.Properties.LifecycleConfiguration.Rules as Record<string, unknown>[];
    const raw = (t: Template) => rules(t).find((r) => r.Prefix === 'inbound/');
    expect(DEFAULT_RAW_MAIL_RETENTION_DAYS).toBe(90);
    expect(raw(stateful)).toMatchObject({ Status: 'Enabled', ExpirationInDays: 90, NoncurrentVersionExpiration: { NoncurrentDays: 1 } });
    expect(raw(mailStateful)).toMatchObject({ Status: 'Enabled', ExpirationInDays: 30 });
    // nothing but raw mail expires while current; old versions of everything do
    expect(rules(stateful).filter((r) => r.ExpirationInDays !== undefined)).toHaveLength(1);
    const versions = rules(stateful).find((r) => r.Id === 'noncurrent-versions');
    expect(versions).toMatchObject({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: expect.any(Number) }, ExpiredObjectDeleteMarker: true });
    expect(versions?.Prefix).toBeUndefined(); // the whole bucket
  });

  it('gives each function exactly the bucket access it needs (mail functions, and cases to sign attachment downloads), and no other function any', () => {
    const s3Statements = (fn: string) => policyOf(stateless, fn).filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    for (const fn of ['inbound-mail', 'mail']) {
      expect(s3Statements(fn), fn).toEqual([
        { Effect: 'Allow', Action: 's3:GetObject', Resource: importedObjectsUnder('inbound/') },
        { Effect: 'Allow', Action: 's3:PutObject', Resource: importedObjectsUnder('attachments/') },
      ]);
    }
    // the cases function signs download links: reading attachments is all a presigned GET may do
    expect(s3Statements('cases')).toEqual([{ Effect: 'Allow', Action: 's3:GetObject', Resource: importedObjectsUnder('attachments/') }]);
    for (const spec of CATALOGUE.filter((s) => !['inbound-mail', 'mail', 'cases'].includes(s.name))) expect(s3Statements(spec.name), spec.name).toEqual([]);
    // nothing bucket-wide: no statement names the bucket itself or all its objects
    const all = [...statements(stateless)].flatMap((s) => resourcesOf(s as Statement)).map((r) => JSON.stringify(r));
    expect(all).not.toContain(JSON.stringify(importOfResource(blobBucketId(), 'Arn')));
    expect(all.filter((r) => r.includes('"/*"') && r.includes('AttachmentsBucket'))).toEqual([]);
  });

  it('lets the mail sender send through SES (any identity without mailDomain, acknowledged) and use the table', () => {
    const sender = policyOf(stateless, 'mail-sender');
    expect(sender.filter((s) => actionsOf(s).some((a) => a.startsWith('ses:')))).toEqual([
      { Effect: 'Allow', Action: ['ses:SendEmail', 'ses:SendRawEmail'], Resource: '*' },
    ]);
    // it reads cases, customers and templates and writes send markers, links and auto-reply slots
    expect(sender.flatMap(actionsOf)).toEqual(expect.arrayContaining(TABLE_DATA_ACTIONS));
    expect(sender.flatMap(actionsOf).filter((a) => a.startsWith('sqs:') && !/^sqs:(ReceiveMessage|DeleteMessage|ChangeMessageVisibility|GetQueueAttributes|GetQueueUrl)$/.test(a))).toEqual([]);
    for (const spec of CATALOGUE.filter((s) => s.name !== 'mail-sender')) {
      expect(policyOf(stateless, spec.name).flatMap(actionsOf).filter((a) => a.startsWith('ses:')), spec.name).toEqual([]);
    }
    const policy = built.stateless.functions['mail-sender'].role.node.findChild('DefaultPolicy');
    const acks = policy.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).flatMap((m) => Object.keys(m.data as object).map((k) => k.replace(/^Annotation::/, '')));
    expect(acks).toContain('AwsSolutions-IAM5[Resource::*]');
  });

  it('with mailDomain: a DKIM-verified domain identity, and sending scoped to it without an acknowledgement', () => {
    mailStateful.resourceCountIs('AWS::SES::EmailIdentity', 1);
    const [identityId, identity] = Object.entries(mailStateful.findResources('AWS::SES::EmailIdentity'))[0] ?? [];
    expect(identity?.Properties.EmailIdentity).toBe('help.example.com');
    expect(identity?.Properties.DkimSigningAttributes).toBeUndefined(); // Easy DKIM
    for (const n of [1, 2, 3]) mailStateful.hasOutput(`DkimRecord${n}`, {});
    const ses = policyOf(mailStateless, 'mail-sender').filter((s) => actionsOf(s).some((a) => a.startsWith('ses:')));
    expect(ses).toEqual([
      {
        Effect: 'Allow',
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Resource: { 'Fn::Join': ['', [`arn:aws:ses:${ENV.region}:${ENV.account}:identity/`, importOfResource(identityId as string, 'Ref')]] },
      },
    ]);
    const policy = mail.stateless.functions['mail-sender'].role.node.findChild('DefaultPolicy');
    const acks = policy.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).flatMap((m) => Object.keys(m.data as object).map((k) => k.replace(/^Annotation::/, '')));
    expect(acks).not.toContain('AwsSolutions-IAM5[Resource::*]');
    expect(nagErrors(mail.report)).toEqual([]);
  });

  it('gives the mail functions and cases BLOB_BUCKET and every function the mail settings from context', () => {
    const variables = (t: Template, b: typeof built, fn: (typeof CATALOGUE)[number]['name']) =>
      t.findResources('AWS::Lambda::Function')[logicalId(b.stateless.functions[fn].fn)]?.Properties.Environment.Variables;
    for (const spec of CATALOGUE) {
      const vars = variables(stateless, built, spec.name);
      if (['mail', 'inbound-mail', 'mail-sender', 'cases'].includes(spec.name)) expect(vars.BLOB_BUCKET, spec.name).toEqual(importOfResource(blobBucketId(), 'Ref'));
      else expect(vars.BLOB_BUCKET, spec.name).toBeUndefined();
      expect(vars.SUPPORT_ADDRESSES, spec.name).toBeUndefined(); // the functions' default applies
    }
    for (const fn of ['mail', 'inbound-mail', 'mail-sender', 'events'] as const) {
      expect(variables(mailStateless, mail, fn), fn).toMatchObject({
        SUPPORT_ADDRESSES: 'Support@help.example.com, billing@help.example.com',
        MAIL_FROM_NAME: 'Example Help',
        UNKNOWN_SENDERS: 'refuse',
        AUTO_REPLY_LIMIT: '2',
        PORTAL_URL: 'https://help.example.com',
      });
    }
  });

  it('refuses mail settings the functions would refuse, at synth', () => {
    const off = { 'aws:cdk:bundling-stacks': [] };
    expect(() => synth({ ...off, unknownSenders: 'ignore' })).toThrow(/UNKNOWN_SENDERS/);
    expect(() => synth({ ...off, supportAddresses: 'not-an-address' })).toThrow(/SUPPORT_ADDRESSES/);
    expect(() => synth({ ...off, rawMailRetentionDays: '0' })).toThrow(/rawMailRetentionDays/);
    expect(() => synth({ ...off, mailDomain: 'help.example.com', supportAddresses: 'support@other.example' })).toThrow(/mailDomain/);
    expect(() => synth({ ...off, mailDomain: 'help.example.com' })).toThrow(/needs supportAddresses/);
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
