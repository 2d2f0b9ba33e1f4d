/**
 * The code and its wiring: one function per catalogue entry, the HTTP API in front of the
 * request handlers (JWT-authorised by the user pool), the table-stream consumer, and the senders
 * and consumers of the work queues (the queues themselves live in the stateful stack).
 * Safe to destroy and redeploy; all data lives in the stateful stack.
 */
import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  type HttpRoute,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as ses from 'aws-cdk-lib/aws-ses';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { routeKey } from '../../shared/api/routes';
import { timerDefinition } from '../../shared/sla-timer';
import { CATALOGUE, type FunctionSpec, QUEUES, type QueueName, queueUrlVar } from '../catalogue';
import { FUNCTION_RUNTIME, HelpdeskFunction } from '../constructs/helpdesk-function';
import { ATTACHMENTS_PREFIX, RAW_MAIL_PREFIX } from './stateful-stack';

/**
 * What request handlers may do on the table and its indexes: item reads, queries and writes
 * (transactions authorise as their item actions). Deliberately no Scan, no stream, no admin.
 */
export const TABLE_DATA_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

/**
 * What each mail function may do in the blob bucket, by key prefix: object reads and writes only,
 * no listing, no deletes, nothing bucket-wide. The mail sender builds the same dependencies
 * (hence `BLOB_BUCKET`) but never touches the bucket, so it gets nothing here.
 */
export const BLOB_ACCESS: Partial<Record<FunctionSpec['name'], { read: string[]; write: string[] }>> = {
  'inbound-mail': { read: [RAW_MAIL_PREFIX], write: [ATTACHMENTS_PREFIX] }, // the raw mail in, its attachments out
  mail: { read: [RAW_MAIL_PREFIX], write: [ATTACHMENTS_PREFIX] }, // replay and release reprocess the raw mail
  cases: { read: [ATTACHMENTS_PREFIX], write: [] }, // signs download links for attachments (a presigned GET carries its signer's rights)
};
/** Functions that get `BLOB_BUCKET` (the mail dependencies need it to start) */
const MAIL_FUNCTIONS = new Set<FunctionSpec['name']>(['mail', 'inbound-mail', 'mail-sender']);
/** Functions that send mail through SES */
const MAIL_SENDERS = new Set<FunctionSpec['name']>(['mail-sender']);

/**
 * Routes that are public by design (liveness and the API description, no customer data). Any
 * other route declared `auth: 'none'` stays a cdk-nag error until someone decides about it here.
 */
const PUBLIC_BY_DESIGN = new Set(['GET /health', 'GET /openapi.json', 'GET /docs']);

/** One JSON object per request in the API access log. */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  userAgent: '$context.identity.userAgent',
});

export interface StatelessStackProps extends StackProps {
  table: dynamodb.ITable;
  userPool: cognito.IUserPool;
  userPoolClient: cognito.IUserPoolClient;
  eventsDlq: sqs.IQueue;
  /** the work queues of `QUEUES` (stateful stack), by name */
  queues: Record<QueueName, sqs.IQueue>;
  /** the blob bucket (raw inbound mail under `inbound/`, attachments under `attachments/`) */
  blobBucket: s3.IBucket;
  /** the verified sending identity; without it the senders may send as any identity of the account */
  mailIdentity?: ses.IEmailIdentity;
  /** optional function settings (TICKET_PREFIX, REOPEN_WINDOW_DAYS, ...) */
  environment?: Record<string, string>;
  /** The web app (web stack): its origin is allowed by CORS, its client's tokens by the authoriser */
  web?: { origin: string; client: cognito.IUserPoolClient };
  /** Also allow the local web app (http://localhost:3000, http://127.0.0.1:3000) by CORS */
  allowLocalOrigins?: boolean;
}

/** Where `npm start` serves the web app, for `allowLocalOrigins`. */
export const LOCAL_ORIGINS = ['http://localhost:3000', 'http://127.0.0.1:3000'];

export class StatelessStack extends Stack {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: Record<FunctionSpec['name'], HelpdeskFunction>;
  /** the SLA timers: one Standard execution per case and generation (`shared/sla-timer.ts`) */
  readonly slaTimers: sfn.StateMachine;
  private readonly table: dynamodb.ITable;
  private readonly scopedSending: boolean;
  private readonly blobBucketArn: string;
  /** routes without an authoriser, kept for the acknowledgements below */
  private readonly publicRoutes: { route: HttpRoute; key: string }[] = [];

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { table } = props;
    this.table = table;
    this.scopedSending = props.mailIdentity !== undefined;
    this.blobBucketArn = props.blobBucket.bucketArn;

    const corsOrigins = [...(props.web ? [props.web.origin] : []), ...(props.allowLocalOrigins ? LOCAL_ORIGINS : [])];
    this.api = new HttpApi(this, 'HttpApi', {
      description: 'Help desk API',
      createDefaultStage: false, // the stage below carries access logging
      // Browsers send the ID token as a bearer header, no cookies: no credentials mode.
      corsPreflight:
        corsOrigins.length > 0
          ? {
              allowOrigins: corsOrigins,
              allowMethods: corsMethods(),
              allowHeaders: ['authorization', 'content-type', 'if-match'],
              exposeHeaders: ['etag', 'location'],
              maxAge: Duration.hours(1),
            }
          : undefined,
    });
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.THREE_MONTHS });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });

    const issuer = `https://cognito-idp.${this.region}.amazonaws.com/${props.userPool.userPoolId}`;
    const jwt = new HttpJwtAuthorizer('CognitoJwt', issuer, {
      jwtAudience: [props.userPoolClient.userPoolClientId, ...(props.web ? [props.web.client.userPoolClientId] : [])],
    });
    const none = new HttpNoneAuthorizer();

    const environment = {
      TABLE_NAME: table.tableName,
      API_URL: this.api.apiEndpoint, // the $default stage serves at the root, no trailing slash
      ...props.environment,
    };

    const functions: Partial<StatelessStack['functions']> = {};
    for (const spec of CATALOGUE) {
      const queueUrls = Object.fromEntries((spec.sends ?? []).map((name) => [queueUrlVar(name), queue(props.queues, name).queueUrl]));
      const blobs: Record<string, string> = MAIL_FUNCTIONS.has(spec.name) || BLOB_ACCESS[spec.name] ? { BLOB_BUCKET: props.blobBucket.bucketName } : {};
      const f = new HelpdeskFunction(this, pascal(spec.name), { spec, environment: { ...environment, ...queueUrls, ...blobs } });
      functions[spec.name] = f;

      if (usesTableData(spec)) table.grant(f.fn, ...TABLE_DATA_ACTIONS); // the table and its indexes

      const access = BLOB_ACCESS[spec.name];
      if (access) {
        const objects = (prefixes: string[]) => prefixes.map((p) => props.blobBucket.arnForObjects(`${p}*`));
        if (access.read.length) f.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: objects(access.read) }));
        if (access.write.length) f.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: objects(access.write) }));
      }

      if (MAIL_SENDERS.has(spec.name)) {
        if (props.mailIdentity) props.mailIdentity.grantSendEmail(f.role); // ses:SendEmail, ses:SendRawEmail on the domain identity
        // No identity known at synth: any identity of the account (acknowledged below).
        else f.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: ['*'] }));
      }

      if (spec.routes.length > 0) {
        const integration = new HttpLambdaIntegration(`${pascal(spec.name)}Integration`, f.fn, {
          payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
        });
        for (const route of spec.routes) {
          const [added] = this.api.addRoutes({
            path: route.path,
            methods: [HttpMethod[route.method]],
            integration,
            authorizer: route.auth === 'jwt' ? jwt : none,
          });
          if (route.auth === 'none' && added) this.publicRoutes.push({ route: added, key: routeKey(route) });
        }
      }

      if (spec.stream) {
        // Stream read only (added by the event source) plus SendMessage to the DLQ.
        f.fn.addEventSource(
          new DynamoEventSource(table, {
            startingPosition: lambda.StartingPosition.TRIM_HORIZON,
            batchSize: spec.stream.batchSize,
            maxBatchingWindow: Duration.seconds(spec.stream.maxBatchingWindowSeconds),
            retryAttempts: spec.stream.retryAttempts,
            bisectBatchOnError: true,
            reportBatchItemFailures: true,
            onFailure: new SqsDlq(props.eventsDlq),
          }),
        );
      }

      for (const name of spec.sends ?? []) queue(props.queues, name).grantSendMessages(f.fn); // SendMessage (+ GetQueueAttributes, GetQueueUrl)

      if (spec.consumes) {
        // Receive, delete and change visibility on this queue only (added by the event source).
        // Failed messages return to the queue and go to its DLQ after maxReceiveCount receives.
        const q = QUEUES[spec.consumes];
        f.fn.addEventSource(
          new SqsEventSource(queue(props.queues, spec.consumes), {
            batchSize: q.batchSize,
            ...(q.maxBatchingWindowSeconds > 0 ? { maxBatchingWindow: Duration.seconds(q.maxBatchingWindowSeconds) } : {}),
            reportBatchItemFailures: true,
          }),
        );
      }
    }
    this.functions = functions as StatelessStack['functions'];
    this.slaTimers = this.slaTimerStateMachine();

    new CfnOutput(this, 'SlaTimerStateMachineArn', { value: this.slaTimers.stateMachineArn });

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: props.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: props.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: table.tableName });

    this.acknowledgeFindings();
  }

  /**
   * cdk-nag (AwsSolutions) acknowledgements for this stack, each with its reason, each on the
   * narrowest construct and finding.
   */
  private acknowledgeFindings() {
    const smPolicy = this.slaTimers.role.node.tryFindChild('DefaultPolicy');
    if (smPolicy) {
      Validations.of(smPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Vended log delivery (logs:CreateLogDelivery, DescribeLogGroups...) and X-Ray (PutTraceSegments...) support no resource-level permissions; Lambda invoke is scoped to the sla-timer function.',
      });
    }
    for (const { route, key } of this.publicRoutes) {
      if (!PUBLIC_BY_DESIGN.has(key)) continue;
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${key} is public by design: liveness or the API description, no customer data.`,
      });
    }
    for (const [name, f] of Object.entries(this.functions)) {
      Validations.of(f.fn).acknowledge({
        id: 'AwsSolutions-L1',
        reason: `Pinned to ${FUNCTION_RUNTIME.name} (a supported LTS) to match the bundle target; upgrade deliberately.`,
      });
      const policy = f.role.node.tryFindChild('DefaultPolicy');
      if (!policy) continue;
      const spec = CATALOGUE.find((s) => s.name === name);
      if (spec && usesTableData(spec)) {
        Validations.of(policy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${this.nagName(this.table.tableArn)}/index/*]`,
          reason: 'Query on the table GSIs (gsi1..gsi6) needs the index ARNs; the wildcard covers only this table.',
        });
      }
      if (spec?.stream) {
        Validations.of(policy).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: 'dynamodb:ListStreams supports no resource-level permissions; stream reads are scoped to the stream ARN.',
        });
      }
      const access = BLOB_ACCESS[name as FunctionSpec['name']];
      for (const prefix of new Set([...(access?.read ?? []), ...(access?.write ?? [])])) {
        Validations.of(policy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${this.nagName(this.blobBucketArn)}/${prefix}*]`,
          reason: `Objects under ${prefix} have per-mail keys unknown in advance; the wildcard covers only that prefix of the blob bucket.`,
        });
      }
      if (spec?.armsTimers) {
        Validations.of(policy).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${this.nagExecutionsArn()}]`,
          reason: 'StopExecution needs execution ARNs, named per case and generation at run time; the wildcard covers only executions of the SLA timer state machine.',
        });
      }
      if (MAIL_SENDERS.has(name as FunctionSpec['name']) && !this.scopedSending) {
        Validations.of(policy).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: 'No mailDomain given, so the sending identity is not known at synth; deploy with -c mailDomain=... to scope ses:SendEmail to it.',
        });
      }
    }
  }

  /**
   * The SLA timers' state machine: the definition of `shared/sla-timer.ts` (the one the local
   * runtime runs too) with the sla-timer function as its Task. Standard, because a case's timer
   * waits hours to weeks (Express executions last five minutes at most). Logs every event, without
   * execution data, to a log group encrypted with a key of its own; X-Ray traced. Its role may
   * invoke the sla-timer function and nothing else; the functions that arm timers may start
   * executions of this machine and stop them, and no other function may either.
   */
  private slaTimerStateMachine(): sfn.StateMachine {
    const checkSpec = CATALOGUE.find((s) => s.timerCheck);
    const check = checkSpec && this.functions[checkSpec.name];
    if (!check) throw new Error('The catalogue has no function with timerCheck: the SLA timers need one as their Task');
    const key = new kms.Key(this, 'SlaTimersLogsKey', {
      description: 'Encrypts the SLA timer state machine\'s execution log',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY, // the log group goes with the stack; so does its key
      pendingWindow: Duration.days(7),
    });
    // CloudWatch Logs encrypts and decrypts with the key, for log groups of this account and region only
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'], // in a key policy, "*" is this key
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': this.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
    );
    const logGroup = new logs.LogGroup(this, 'SlaTimersLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'SlaTimersRole', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description: 'Execution role of the SLA timer state machine',
    });
    // the definition's Task invokes the unqualified function ARN: that ARN only (no versions, no aliases)
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [check.fn.functionArn] }));
    const machine = new sfn.StateMachine(this, 'SlaTimers', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: 'SLA timer of one case (shared/sla-timer.ts)',
      definitionBody: sfn.DefinitionBody.fromString(this.toJsonString(timerDefinition(check.fn.functionArn))),
      role,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });

    const executions = this.executionsArn(machine);
    for (const spec of CATALOGUE.filter((s) => s.armsTimers)) {
      const f = this.functions[spec.name];
      f.fn.addEnvironment('SLA_TIMER_STATE_MACHINE_ARN', machine.stateMachineArn);
      f.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [machine.stateMachineArn] }));
      f.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:StopExecution'], resources: [executions] }));
    }
    return machine;
  }

  /** `arn:...:states:{region}:{account}:execution:{machine name}:*`: every execution of the machine. */
  private executionsArn(machine: sfn.StateMachine) {
    return this.formatArn({ service: 'states', resource: 'execution', resourceName: `${machine.stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }

  /** The executions' ARN as cdk-nag spells it in a finding id (tokens as `<LogicalId.Attr>`). */
  private nagExecutionsArn(): string {
    const resolved = this.resolve(this.executionsArn(this.slaTimers)) as { 'Fn::Join': [string, unknown[]] };
    return resolved['Fn::Join'][1]
      .map((part) => {
        if (typeof part === 'string') return part;
        const p = part as Record<string, unknown>;
        if ('Ref' in p) return `<${p.Ref}>`;
        if ('Fn::GetAtt' in p) return `<${(p['Fn::GetAtt'] as string[]).join('.')}>`;
        throw new Error(`unexpected token in ${JSON.stringify(part)}`);
      })
      .join('');
  }

  /**
   * How cdk-nag spells a value from the stateful stack inside a finding id: the name of the
   * export that carries it. `exportValue` returns the same export the automatic cross-stack
   * reference uses (no extra output), so the id follows renames instead of hard-coding a hash.
   */
  private nagName(value: string): string {
    const producer = Stack.of(this.table);
    if (producer === this) throw new Error('nagName expects a value from another stack');
    return producer.resolve(producer.exportValue(value))['Fn::ImportValue'];
  }
}

/** The methods the routes use, plus OPTIONS: today GET, POST, PATCH. */
const corsMethods = () => [
  ...new Set([...CATALOGUE.flatMap((spec) => spec.routes.map((r) => CorsHttpMethod[r.method])), CorsHttpMethod.OPTIONS]),
];

/**
 * Who gets TABLE_DATA_ACTIONS: the request handlers and the queue consumers (the routing worker
 * reads cases and rules and writes assignments) and the SLA timer's check (reads the case, writes
 * its marks and SLA state). The stream consumer does not: it only reacts.
 */
const usesTableData = (spec: FunctionSpec) => spec.routes.length > 0 || spec.consumes !== undefined || spec.timerCheck === true;

const queue = (queues: Record<QueueName, sqs.IQueue>, name: QueueName) => {
  const q = queues[name];
  if (!q) throw new Error(`No queue "${name}" was passed to the stateless stack`);
  return q;
};

/** `routing-worker` -> `RoutingWorker`: construct ids (and so logical ids) of the functions. */
const pascal = (s: string) => s.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
