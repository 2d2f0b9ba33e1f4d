/**
 * The web app's files and its `/config.json`, copied into the web stack's bucket on every deploy,
 * then the distribution invalidated. Last in the order because config.json names the HTTP API's
 * URL and the web client (see the top of `web-stack.ts`).
 *
 * Two deployments: the hashed `assets/*` first, cached for a year and never pruned (a browser
 * holding the previous index.html can still load its scripts), then index.html and config.json,
 * `no-cache` and pruned: after the assets, so a page never points at assets that are not there yet.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { Construct } from 'constructs';
import type { WebConfig } from '../../shared/web/security-headers';
import { REPO_ROOT } from '../constructs/helpdesk-function';
import { AUTH_CALLBACK_PATH, SIGNED_OUT_PATH, type WebStack } from './web-stack';

/** Where `npm run build:web` writes the app. */
export const WEB_DIST = join(REPO_ROOT, 'web', 'dist');

/** Fails the synth, readably, when the web app has not been built. */
export function assertWebBuilt(dir: string = WEB_DIST) {
  for (const path of [join(dir, 'index.html'), join(dir, 'assets')]) {
    if (!existsSync(path)) {
      throw new Error(
        `The web app is not built (${path} is missing): run \`npm run build:web\` before synthesising or deploying. npm test and npm start build it first.`,
      );
    }
  }
}

export interface WebContentStackProps extends StackProps {
  web: WebStack;
  /** The HTTP API's URL, no trailing slash */
  apiUrl: string;
  /** must match the functions' REOPEN_WINDOW_DAYS; @default 7 */
  reopenWindowDays?: number;
  /** @default web/dist of the repository */
  distDir?: string;
}

export class WebContentStack extends Stack {
  readonly assets: BucketDeployment;
  readonly pages: BucketDeployment;
  readonly config: WebConfig;
  private readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: WebContentStackProps) {
    super(scope, id, props);
    const { web } = props;
    const dir = props.distDir ?? WEB_DIST;
    assertWebBuilt(dir);

    // Values from other stacks are tokens here; the deployment fills them in at deploy time.
    this.config = {
      apiUrl: props.apiUrl,
      reopenWindowDays: props.reopenWindowDays ?? 7,
      auth: {
        mode: 'cognito',
        domain: web.authDomain ?? '',
        clientId: web.client.userPoolClientId,
        redirectUri: `${web.origin}${AUTH_CALLBACK_PATH}`,
        logoutUri: `${web.origin}${SIGNED_OUT_PATH}`,
        region: this.region,
      },
    };

    // Our own role and log group for the copy function instead of AWSLambdaBasicExecutionRole
    // (the project's rule); BucketDeployment adds the bucket and invalidation grants to it.
    const logGroup = new logs.LogGroup(this, 'DeploymentLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'DeploymentRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the web app into the site bucket and invalidates the distribution',
    });
    logGroup.grantWrite(this.role);
    const common = { destinationBucket: web.siteBucket, role: this.role, logGroup };

    this.assets = new BucketDeployment(this, 'Assets', {
      ...common,
      // Source maps stay out of the public site: they carry the original sources.
      sources: [Source.asset(join(dir, 'assets'), { exclude: ['*.map'] })],
      destinationKeyPrefix: 'assets/',
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
      prune: false,
    });

    this.pages = new BucketDeployment(this, 'Pages', {
      ...common,
      sources: [Source.asset(dir, { exclude: ['assets', 'assets/**', '*.map'] }), Source.jsonData('config.json', this.config)],
      cacheControl: [CacheControl.noCache()],
      exclude: ['assets/*'], // neither uploaded nor pruned by this deployment
      distribution: web.distribution,
      distributionPaths: ['/*'],
    });
    this.pages.node.addDependency(this.assets);

    this.acknowledgeFindings(web);
  }

  /**
   * cdk-nag (AwsSolutions) acknowledgements for this stack, all about the copy function that
   * BucketDeployment creates (a CDK-managed singleton) and the grants it adds to our role.
   */
  private acknowledgeFindings(web: WebStack) {
    const handler = this.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('BucketDeployment created no handler function');
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'CDK-managed BucketDeployment singleton: aws-cdk-lib chooses its Python runtime and moves it on with upgrades.',
    });

    const policy = this.role.node.findChild('DefaultPolicy');
    const iam5 = (finding: string, reason: string) => Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
    // the grants BucketDeployment adds: read of the CDK asset bucket, read-write of the site bucket
    for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']) {
      iam5(`Action::${action}`, 'BucketDeployment grant (aws-cdk-lib): read the CDK asset bucket, sync and prune the site bucket.');
    }
    const assetBucket = this.sourceAssetBucket();
    iam5(`Resource::${nagSpelling(this, assetBucket.arnForObjects('*'))}`, 'Reads the uploaded web build from the CDK asset bucket of this account and region.');
    iam5(
      `Resource::${nagSpelling(this, web.exportValue(web.siteBucket.bucketArn))}/*`,
      'Syncs every object of the site bucket: the bucket holds the web app only and the sync replaces it.',
    );
    iam5('Resource::*', 'BucketDeployment grants cloudfront:CreateInvalidation/GetInvalidation on *; it invalidates only this distribution.');
  }

  /** The CDK asset bucket the deployments read from (one per account and region). */
  private sourceAssetBucket() {
    const asset = [this.assets, this.pages].flatMap((d) => d.node.children).find((c): c is s3assets.Asset => c instanceof s3assets.Asset);
    if (!asset) throw new Error('BucketDeployment created no asset');
    return asset.bucket;
  }
}

/** A value as cdk-nag spells it inside a finding id (`Fn::ImportValue` -> the export's name, `Ref` -> `<Id>`). */
const nagSpelling = (stack: Stack, value: string): string => flattenCfnReference(stack.resolve(value));
