/**
 * Everything that holds data and must outlive a redeploy of the code: the domain table, the
 * buckets, the user pool (users cannot be recreated), the stream consumer's dead-letter queue and
 * the work queues of the catalogue (`QUEUES`, each with its dead-letter queue): queues hold
 * in-flight work, so they outlive a redeploy of the functions that send to and consume them.
 * The table, buckets and user pool are retained when the stack is deleted.
 */
import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { ROLES } from '../../shared/domain/principal';
import { INDEXES, STREAM_VIEW, TABLE_KEYS, TTL_ATTRIBUTE, indexKeys } from '../../shared/adapters/aws/dynamodb/schema';
import { CATALOGUE, QUEUES, type QueueName } from '../catalogue';

/** The user pool groups are the domain's roles; the `cognito:groups` claim carries them. */
export const USER_GROUPS = ROLES;

export interface StatefulStackProps extends StackProps {
  /** OAuth callback and sign-out URLs of the web app */
  callbackUrls?: string[];
  logoutUrls?: string[];
  /** Cognito hosted-domain prefix; without it no hosted UI (code grant) domain is created */
  authDomainPrefix?: string;
}

export class StatefulStack extends Stack {
  readonly table: dynamodb.Table;
  readonly attachmentsBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly eventsDlq: sqs.Queue;
  /** the work queues of `QUEUES`, by name */
  readonly queues: Record<QueueName, sqs.Queue>;
  /** their dead-letter queues (`<name>-dlq`), by the name of the queue they serve */
  readonly deadLetterQueues: Record<QueueName, sqs.Queue>;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    super(scope, id, props);
    // Grant S3 log delivery with a bucket policy (the current AWS advice) rather than an ACL.
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    this.table = this.domainTable();

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      ...secureBucketDefaults,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });
    this.attachmentsBucket = new s3.Bucket(this, 'AttachmentsBucket', {
      ...secureBucketDefaults,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'attachments/',
    });

    // Where stream batches go once the events function has exhausted its retries.
    this.eventsDlq = new sqs.Queue(this, 'EventsDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    [this.queues, this.deadLetterQueues] = this.workQueues();

    [this.userPool, this.userPoolClient] = this.identity(props);

    this.acknowledgeFindings();
  }

  private domainTable() {
    const key = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });
    const table = new dynamodb.Table(this, 'Table', {
      partitionKey: key(TABLE_KEYS.partitionKey),
      sortKey: key(TABLE_KEYS.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      stream: dynamodb.StreamViewType[STREAM_VIEW],
      timeToLiveAttribute: TTL_ATTRIBUTE,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const indexName of INDEXES) {
      const k = indexKeys(indexName);
      table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: key(k.partitionKey),
        sortKey: key(k.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    return table;
  }

  /** One queue and one dead-letter queue (`<name>-dlq`) per entry of `QUEUES`. */
  private workQueues(): [Record<QueueName, sqs.Queue>, Record<QueueName, sqs.Queue>] {
    const queues: Partial<Record<QueueName, sqs.Queue>> = {};
    const dlqs: Partial<Record<QueueName, sqs.Queue>> = {};
    for (const [name, q] of Object.entries(QUEUES) as [QueueName, (typeof QUEUES)[QueueName]][]) {
      // No physical names: CloudFormation names them from the stack, so two deployments can share
      // an account and a replacement never collides; functions get the URL from the environment.
      const dlq = new sqs.Queue(this, `Queue-${name}-dlq`, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14), // the SQS maximum: time to look at and redrive failures
      });
      // No SQS3 acknowledgement needed for the DLQ: cdk-nag sees it is this queue's redrive target.
      queues[name] = new sqs.Queue(this, `Queue-${name}`, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(name)),
        deadLetterQueue: { queue: dlq, maxReceiveCount: q.maxReceiveCount },
      });
      dlqs[name] = dlq;
    }
    return [queues as Record<QueueName, sqs.Queue>, dlqs as Record<QueueName, sqs.Queue>];
  }

  private identity(props: StatefulStackProps): [cognito.UserPool, cognito.UserPoolClient] {
    const pool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false, // staff create accounts for now
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    USER_GROUPS.forEach((groupName, precedence) => {
      // Lower precedence wins when a user is in several groups: admin is the strongest.
      new cognito.UserPoolGroup(this, `Group-${groupName}`, {
        userPool: pool,
        groupName,
        precedence: USER_GROUPS.length - precedence,
      });
    });

    const callbackUrls = props.callbackUrls ?? ['http://localhost:3000/auth/callback'];
    const client = pool.addClient('WebClient', webClientOptions(callbackUrls, props.logoutUrls ?? callbackUrls));

    if (props.authDomainPrefix) {
      pool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.authDomainPrefix } });
    }
    return [pool, client];
  }

  /**
   * cdk-nag (AwsSolutions) acknowledgements for this stack, each with its reason.
   * Everything else is fixed, not acknowledged.
   */
  private acknowledgeFindings() {
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket is the server-access-log destination; logging it into itself would loop.',
    });
    Validations.of(this.eventsDlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination of the table-stream event source mapping.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason: 'MFA is optional (TOTP) so customers are not forced to enrol; staff enrolment is policy, not a pool setting.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason: 'The Plus feature plan (threat protection) is a paid add-on per MAU; Essentials is enough until launch.',
    });
  }
}

/**
 * A work queue's visibility timeout: the larger of the catalogue's value and what AWS recommends
 * for a queue that feeds a Lambda function (at least six times the function timeout, plus the
 * batching window). The poller's message stays invisible while Lambda retries a throttled or
 * failed invoke; shorter than that, a message can reappear and be processed twice in parallel, or
 * burn receives towards the DLQ. Derived from the consumer's timeout, so it follows the catalogue
 * when someone lengthens it; several consumers: the slowest counts. Today max(30, 6 x 20 + 0) = 120 s.
 */
export function visibilityTimeoutSeconds(name: QueueName): number {
  const consumers = CATALOGUE.filter((spec) => spec.consumes === name);
  const recommended = Math.max(0, ...consumers.map((spec) => 6 * spec.timeoutSeconds + QUEUES[name].maxBatchingWindowSeconds));
  return Math.max(QUEUES[name].visibilityTimeoutSeconds, recommended);
}

/**
 * The settings of a browser (SPA) app client: public, PKCE code grant, short-lived tokens. Shared
 * by this stack's client and the web stack's, which differ only in their URLs.
 */
export function webClientOptions(callbackUrls: string[], logoutUrls: string[]): cognito.UserPoolClientOptions {
  return {
    generateSecret: false, // a public browser client: PKCE instead of a secret
    authFlows: { userSrp: true },
    oAuth: {
      flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
      scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
      callbackUrls,
      logoutUrls,
    },
    preventUserExistenceErrors: true,
    accessTokenValidity: Duration.hours(1),
    idTokenValidity: Duration.hours(1),
    refreshTokenValidity: Duration.days(30),
  };
}

/** Private, TLS-only, encrypted, versioned and retained: every bucket of the app starts here. */
export const secureBucketDefaults: s3.BucketProps = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  encryption: s3.BucketEncryption.S3_MANAGED,
  versioned: true,
  removalPolicy: RemovalPolicy.RETAIN,
};
