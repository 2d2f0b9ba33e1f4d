/**
 * Builds the whole CDK app, checked by cdk-nag's AwsSolutions pack through CDK's policy-validation
 * framework (cdk-nag 3). Shared by `infra/app.ts` (the CLI) and the infra tests, so both see the
 * same app. Four stacks, in deployment order:
 *
 *   HelpdeskStateful    table, buckets, user pool (retained); the work queues and the DLQs
 *   HelpdeskWeb         site bucket, CloudFront, security headers, the web app's user-pool client
 *   HelpdeskStateless   functions and the HTTP API (CORS for the web origin, JWT for both clients)
 *   HelpdeskWebContent  the built web app and its /config.json, then a CloudFront invalidation
 *
 * Why the web app is split around the API: see the top of `stacks/web-stack.ts`.
 */
import { App, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { mailConfigFromEnv } from '../shared/app/mail-deps';
import { StatefulStack } from './stacks/stateful-stack';
import { StatelessStack } from './stacks/stateless-stack';
import { WebContentStack, assertWebBuilt } from './stacks/web-content-stack';
import { WebStack } from './stacks/web-stack';

export interface BuildOptions {
  /** @default CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION; env-agnostic where unset */
  env?: Environment;
  /** the built web app; @default web/dist */
  webDist?: string;
}

/** Optional function settings taken from CDK context (`-c ticketPrefix=HD`), name -> env var. */
const CONTEXT_ENV = {
  ticketPrefix: 'TICKET_PREFIX',
  ticketSerialStart: 'TICKET_SERIAL_START',
  ticketSerialPadding: 'TICKET_SERIAL_PADDING',
  ticketRandomLength: 'TICKET_RANDOM_LENGTH',
  reopenWindowDays: 'REOPEN_WINDOW_DAYS',
  offlinePolicy: 'OFFLINE_POLICY',
  supportAddresses: 'SUPPORT_ADDRESSES',
  mailFromName: 'MAIL_FROM_NAME',
  unknownSenders: 'UNKNOWN_SENDERS',
  autoReplyLimit: 'AUTO_REPLY_LIMIT',
  portalUrl: 'PORTAL_URL',
} as const;

export function buildApp(app: App = new App(), options: BuildOptions = {}) {
  const env = options.env ?? {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  };

  const ctx = (key: string): unknown => app.node.tryGetContext(key);
  const list = (key: string) => {
    const v = ctx(key);
    return typeof v === 'string' ? v.split(',').map((s) => s.trim()) : (v as string[] | undefined);
  };
  const flag = (key: string) => ctx(key) === true || ctx(key) === 'true';
  const environment: Record<string, string> = {};
  for (const [key, name] of Object.entries(CONTEXT_ENV)) {
    const v = ctx(key);
    if (v !== undefined) environment[name] = Array.isArray(v) ? v.join(',') : String(v);
  }
  // The mail settings fail the synth, not the first mail, when they are wrong (same checks as the functions).
  const mailConfig = mailConfigFromEnv(environment);
  const supportAddresses = environment.SUPPORT_ADDRESSES ? mailConfig.supportAddresses : undefined;
  const retention = ctx('rawMailRetentionDays');

  // before anything is bundled: a missing web build is the commonest reason for a failed synth
  assertWebBuilt(options.webDist);

  const stateful = new StatefulStack(app, 'HelpdeskStateful', {
    env,
    description: 'Help desk: data (table, buckets, user pool, queues)',
    callbackUrls: list('callbackUrls'),
    logoutUrls: list('logoutUrls'),
    authDomainPrefix: ctx('authDomainPrefix') as string | undefined,
    ...(retention !== undefined ? { rawMailRetentionDays: Number(retention) } : {}),
    supportAddresses,
    mailDomain: ctx('mailDomain') as string | undefined,
  });
  const web = new WebStack(app, 'HelpdeskWeb', {
    env,
    description: 'Help desk: web app hosting (S3, CloudFront) and its user-pool client',
    userPool: stateful.userPool,
    authDomainPrefix: ctx('authDomainPrefix') as string | undefined,
    domainName: ctx('webDomain') as string | undefined,
    certificateArn: ctx('webCertificateArn') as string | undefined,
  });
  const stateless = new StatelessStack(app, 'HelpdeskStateless', {
    env,
    description: 'Help desk: functions and HTTP API',
    table: stateful.table,
    userPool: stateful.userPool,
    userPoolClient: stateful.userPoolClient,
    eventsDlq: stateful.eventsDlq,
    queues: stateful.queues,
    blobBucket: stateful.attachmentsBucket,
    mailIdentity: stateful.mailIdentity,
    environment,
    web: { origin: web.origin, client: web.client },
    allowLocalOrigins: flag('allowLocalOrigins'),
  });
  const webContent = new WebContentStack(app, 'HelpdeskWebContent', {
    env,
    description: 'Help desk: web app files and config.json',
    web,
    apiUrl: stateless.api.apiEndpoint, // the $default stage serves at the root, no trailing slash
    ...(environment.REOPEN_WINDOW_DAYS ? { reopenWindowDays: Number(environment.REOPEN_WINDOW_DAYS) } : {}),
    distDir: options.webDist,
  });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, web, stateless, webContent };
}
