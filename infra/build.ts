/**
 * Builds the whole CDK app: the stateful and stateless stacks, checked by cdk-nag's AwsSolutions
 * pack through CDK's policy-validation framework (cdk-nag 3). Shared by `infra/app.ts` (the CLI)
 * and the infra tests, so both see the same app.
 */
import { App, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StatefulStack } from './stacks/stateful-stack';
import { StatelessStack } from './stacks/stateless-stack';

export interface BuildOptions {
  /** @default CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION; env-agnostic where unset */
  env?: Environment;
}

/** Optional function settings taken from CDK context (`-c ticketPrefix=HD`), name -> env var. */
const CONTEXT_ENV = {
  ticketPrefix: 'TICKET_PREFIX',
  ticketSerialStart: 'TICKET_SERIAL_START',
  ticketSerialPadding: 'TICKET_SERIAL_PADDING',
  ticketRandomLength: 'TICKET_RANDOM_LENGTH',
  reopenWindowDays: 'REOPEN_WINDOW_DAYS',
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
  const environment: Record<string, string> = {};
  for (const [key, name] of Object.entries(CONTEXT_ENV)) {
    const v = ctx(key);
    if (v !== undefined) environment[name] = String(v);
  }

  const stateful = new StatefulStack(app, 'HelpdeskStateful', {
    env,
    description: 'Help desk: data (table, buckets, user pool, DLQ)',
    callbackUrls: list('callbackUrls'),
    logoutUrls: list('logoutUrls'),
    authDomainPrefix: ctx('authDomainPrefix') as string | undefined,
  });
  const stateless = new StatelessStack(app, 'HelpdeskStateless', {
    env,
    description: 'Help desk: functions and HTTP API',
    table: stateful.table,
    userPool: stateful.userPool,
    userPoolClient: stateful.userPoolClient,
    eventsDlq: stateful.eventsDlq,
    environment,
  });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, stateless };
}
