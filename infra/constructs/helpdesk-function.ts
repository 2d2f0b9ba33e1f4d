/**
 * One Lambda of the catalogue, with every default in one place: Node 22 on arm64, an ESM bundle
 * built by local esbuild (no Docker), an explicit log group with retention, and an execution role
 * of its own that may write to that log group and nothing else until the stack grants more.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../catalogue';

/** The repository root: catalogue entries are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The runtime every function deploys on; the bundle targets the same Node version. */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_22_X;
const BUNDLE_TARGET = 'node22';

/** Service name for Powertools logs/metrics; the function name goes into each log line anyway. */
export const SERVICE_NAME = 'helpdesk';

export interface HelpdeskFunctionProps {
  spec: FunctionSpec;
  /** extra environment, merged over the defaults */
  environment?: Record<string, string>;
  logRetention?: logs.RetentionDays;
}

export class HelpdeskFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HelpdeskFunctionProps) {
    super(scope, id);
    const { spec } = props;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Our own role instead of AWSLambdaBasicExecutionRole: write to this log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${spec.name} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, spec.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      description: spec.description,
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        minify: true,
        logLevel: LogLevel.WARNING, // no per-bundle size listing on every synth
        sourceMap: true,
        sourcesContent: false,
        target: BUNDLE_TARGET,
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        // Today's bundles need no require(); CommonJS dependencies (mailparser, for one) bundled
        // into ESM call require() for Node built-ins, which fails at runtime without this.
        banner: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);",
        // The Node.js runtime ships AWS SDK v3.
        externalModules: ['@aws-sdk/*'],
      },
    });
  }
}
