/**
 * Everything that holds data and must outlive a redeploy of the code: the domain table, the
 * buckets, the user pool (users cannot be recreated), the stream consumer's dead-letter queue and
 * the work queues of the catalogue (`QUEUES`, each with its dead-letter queue): queues hold
 * in-flight work, so they outlive a redeploy of the functions that send to and consume them.
 * The table, buckets and user pool are retained when the stack is deleted.
 *
 * Mail in: SES receives for the support addresses, stores the raw MIME in the blob bucket under
 * `inbound/` and notifies an SNS topic with its receipt (verdicts, recipients, the object key),
 * which delivers to the `inbound-mail` queue. The receipt rule and the bucket policy that lets SES
 * write live here, next to the bucket, so the rule can depend on the policy (SES test-writes to
 * the bucket when the rule is created) without a cross-stack cycle.
 */
import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { ROLES } from '../../shared/domain/principal';
import { INDEXES, STREAM_VIEW, TABLE_KEYS, TTL_ATTRIBUTE, indexKeys } from '../../shared/adapters/aws/dynamodb/schema';
import { CATALOGUE, QUEUES, type QueueName } from '../catalogue';

/** The user pool groups are the domain's roles; the `cognito:groups` claim carries them. */
export const USER_GROUPS = ROLES;

/** Key prefixes of the blob bucket: raw inbound MIME (written by SES) and stored attachments. */
export const RAW_MAIL_PREFIX = 'inbound/';
export const ATTACHMENTS_PREFIX = 'attachments/';
/** How long raw inbound mail is kept unless `rawMailRetentionDays` says otherwise. */
export const DEFAULT_RAW_MAIL_RETENTION_DAYS = 90;
/** Noncurrent object versions (overwritten or deleted) are kept this long, for recovery. */
export const NONCURRENT_VERSION_DAYS = 30;
/** The name of the receipt rule that stores inbound mail (named, so the bucket policy can name it). */
export const RECEIPT_RULE_NAME = 'store-raw-mail';

export interface StatefulStackProps extends StackProps {
  /** OAuth callback and sign-out URLs of the web app */
  callbackUrls?: string[];
  logoutUrls?: string[];
  /** Cognito hosted-domain prefix; without it no hosted UI (code grant) domain is created */
  authDomainPrefix?: string;
  /** Days raw inbound mail (`inbound/`) is kept; @default DEFAULT_RAW_MAIL_RETENTION_DAYS */
  rawMailRetentionDays?: number;
  /**
   * The support addresses SES receives for; without them no receipt rule set is created (mail
   * can still be sent, and the bucket, queue and functions are ready for it).
   */
  supportAddresses?: string[];
  /** A domain to verify as an SES identity (Easy DKIM); the send permission is scoped to it */
  mailDomain?: string;
}

export class StatefulStack extends Stack {
  readonly table: dynamodb.Table;
  /**
   * The blob bucket (`BLOB_BUCKET`): attachments under `attachments/`, raw inbound mail under
   * `inbound/`. Its construct id predates mail; renaming it would replace a retained bucket.
   */
  readonly attachmentsBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly eventsDlq: sqs.Queue;
  /** the work queues of `QUEUES`, by name */
  readonly queues: Record<QueueName, sqs.Queue>;
  /** their dead-letter queues (`<name>-dlq`), by the name of the queue they serve */
  readonly deadLetterQueues: Record<QueueName, sqs.Queue>;
  /** the receipt rule set (only with support addresses); it still has to be activated */
  readonly receiptRuleSet?: ses.ReceiptRuleSet;
  readonly receiptRule?: ses.ReceiptRule;
  /** SES's receipt notifications (verdicts, recipients, the stored object), delivered to the inbound-mail queue */
  inboundMailTopic?: sns.Topic;
  /** the verified sending domain (only with `mailDomain`) */
  readonly mailIdentity?: ses.EmailIdentity;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    super(scope, id, props);
    // Grant S3 log delivery with a bucket policy (the current AWS advice) rather than an ACL.
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    this.table = this.domainTable();

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      ...secureBucketDefaults,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });
    const retentionDays = props.rawMailRetentionDays ?? DEFAULT_RAW_MAIL_RETENTION_DAYS;
    if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new Error('rawMailRetentionDays must be a whole number of days, 1 or more');
    // SSE-S3 (not KMS): SES and S3 notifications need no key policy, the functions no kms grants.
    this.attachmentsBucket = new s3.Bucket(this, 'AttachmentsBucket', {
      ...secureBucketDefaults,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'attachments/',
      lifecycleRules: [
        {
          id: 'raw-mail',
          prefix: RAW_MAIL_PREFIX,
          expiration: Duration.days(retentionDays),
          // raw mail is personal data: once expired (or deleted), its old version goes the next day
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          id: 'noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });

    // Where stream batches go once the events function has exhausted its retries.
    this.eventsDlq = new sqs.Queue(this, 'EventsDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    [this.queues, this.deadLetterQueues] = this.workQueues();

    if (props.mailDomain) this.mailIdentity = this.sendingIdentity(props.mailDomain, props.supportAddresses);
    if (props.supportAddresses?.length) [this.receiptRuleSet, this.receiptRule] = this.inboundMail(props.supportAddresses);

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

  /**
   * The rule set that stores mail for the support addresses under `inbound/` (spam and virus
   * verdicts in its headers, TLS required). CloudFormation cannot activate a rule set, and an
   * account has one active set per region: after the first deploy run
   * `aws ses set-active-receipt-rule-set --rule-set-name <ReceiptRuleSetName>`, and point the
   * domain's MX record at `inbound-smtp.<region>.amazonaws.com` (see the README).
   */
  private inboundMail(recipients: string[]): [ses.ReceiptRuleSet, ses.ReceiptRule] {
    // Named (from the stack name, so two deployments in one account do not collide) because the
    // bucket policy names the rule in aws:SourceArn, and the rule depends on that policy.
    const ruleSetName = `${this.stackName}-inbound-mail`;
    const sourceArn = this.formatArn({
      service: 'ses',
      resource: 'receipt-rule-set',
      resourceName: `${ruleSetName}:receipt-rule/${RECEIPT_RULE_NAME}`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    // Not aws-ses-actions' S3 action: it allows any receipt rule of the account (aws:SourceAccount
    // only). This statement allows this rule only, and only under inbound/.
    const bucket = this.attachmentsBucket;
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesToStoreInboundMail',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects(`${RAW_MAIL_PREFIX}*`)],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account, 'aws:SourceArn': sourceArn } },
      }),
    );
    // After storing, the S3 action notifies this topic with SES's receipt: the object key, the
    // envelope recipients and the verdicts, including DMARC's policy, which the stored mail does
    // not carry. The topic delivers to the inbound-mail queue (raw: the notification itself).
    // Encrypted with our own key, because SES must be allowed to use it; only this rule publishes.
    const key = new kms.Key(this, 'InboundMailTopicKey', {
      enableKeyRotation: true,
      description: 'Encrypts the SES receipt notifications of inbound mail',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesToPublishEncrypted',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account, 'aws:SourceArn': sourceArn } },
      }),
    );
    const topic = new sns.Topic(this, 'InboundMailTopic', { masterKey: key, enforceSSL: true, displayName: 'Inbound mail receipts' });
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesReceiptRuleToPublish',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account, 'aws:SourceArn': sourceArn } },
      }),
    );
    topic.addSubscription(new subs.SqsSubscription(this.queues['inbound-mail'], { rawMessageDelivery: true }));
    this.inboundMailTopic = topic;

    const ruleSet = new ses.ReceiptRuleSet(this, 'InboundMailRuleSet', { receiptRuleSetName: ruleSetName });
    const rule = ruleSet.addRule('StoreRawMail', {
      receiptRuleName: RECEIPT_RULE_NAME,
      recipients, // an address also matches its plus-addressed forms (support+tag@...)
      enabled: true,
      scanEnabled: true, // X-SES-Spam-Verdict / X-SES-Virus-Verdict, read by the trust check
      tlsPolicy: ses.TlsPolicy.REQUIRE,
      actions: [{ bind: () => ({ s3Action: { bucketName: bucket.bucketName, objectKeyPrefix: RAW_MAIL_PREFIX, topicArn: topic.topicArn } }) }],
    });
    // SES checks its access when the rule is created (a test object, a test notification): the
    // bucket policy, the topic policy and the key policy must be in place first.
    const policy = bucket.policy;
    if (policy) rule.node.addDependency(policy);
    for (const child of topic.node.children) if (child instanceof sns.TopicPolicy) rule.node.addDependency(child);
    rule.node.addDependency(key);

    new CfnOutput(this, 'ReceiptRuleSetName', { value: ruleSetName, description: 'Activate: aws ses set-active-receipt-rule-set --rule-set-name <this>' });
    new CfnOutput(this, 'InboundMxRecord', { value: `10 inbound-smtp.${this.region}.amazonaws.com`, description: 'The MX record of the support domain' });
    return [ruleSet, rule];
  }

  /** The sending domain, verified by Easy DKIM (publish the three CNAME records it outputs). */
  private sendingIdentity(domain: string, supportAddresses: string[] = []): ses.EmailIdentity {
    // The first support address is the From of what we send: it has to be of this domain.
    if (supportAddresses.length === 0) throw new Error(`mailDomain ${domain} needs supportAddresses (addresses of that domain; the first is the From)`);
    const foreign = supportAddresses.filter((a) => !a.toLowerCase().endsWith(`@${domain.toLowerCase()}`));
    if (foreign.length > 0) throw new Error(`supportAddresses must be addresses of mailDomain ${domain}: ${foreign.join(', ')}`);
    const identity = new ses.EmailIdentity(this, 'MailIdentity', { identity: ses.Identity.domain(domain) });
    identity.dkimRecords.forEach((r, i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, { value: `${r.name} CNAME ${r.value}`, description: `DKIM record ${i + 1} of ${domain}` });
    });
    return identity;
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
