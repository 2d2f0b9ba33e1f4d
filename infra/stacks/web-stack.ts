/**
 * Where the web app is served from: a private S3 bucket behind a CloudFront distribution (origin
 * access control), the security headers of `shared/web/security-headers.ts`, and the Cognito app
 * client whose callback is the distribution's own URL. The files themselves and `/config.json`
 * are deployed by the web-content stack.
 *
 * Why a stack of its own, deployed between the stateful and the stateless stack: the HTTP API must
 * know this distribution's origin (CORS) and accept this client's tokens (JWT audience), so both
 * exist before the API does; `/config.json` needs the API's URL in turn, so the content deploys
 * after the API (HelpdeskStateful -> HelpdeskWeb -> HelpdeskStateless -> HelpdeskWebContent).
 * Putting the distribution into the stateless stack would not help: the API's CORS setting needs
 * the distribution's domain while a CSP naming the API's host needs the API, a cycle between two
 * resources, whatever the stacks. So the CSP cannot name the generated execute-api host; its
 * connect-src allows the region's execute-api domain instead (see `apiSources`).
 */
import { Annotations, CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { STATIC_SECURITY_HEADERS, contentSecurityPolicy } from '../../shared/web/security-headers';
import { secureBucketDefaults, webClientOptions } from './stateful-stack';

/** Where Cognito sends the browser back after sign-in and sign-out (pages of the web app). */
export const AUTH_CALLBACK_PATH = '/auth/callback';
export const SIGNED_OUT_PATH = '/login';

/** The Cognito hosted UI's host for a domain prefix (the stateful stack creates the domain). */
export const hostedUiDomain = (prefix: string, region: string) => `${prefix}.auth.${region}.amazoncognito.com`;

/** HSTS max-age: two years, the value hstspreload.org asks for. */
const HSTS_MAX_AGE = Duration.days(730);

export interface WebStackProps extends StackProps {
  userPool: cognito.IUserPool;
  /** Cognito hosted-UI domain prefix; without it the web app has no sign-in page to go to */
  authDomainPrefix?: string;
  /** Optional custom domain (`app.example.com`) with its ACM certificate, which must be in us-east-1 */
  domainName?: string;
  certificateArn?: string;
}

export class WebStack extends Stack {
  readonly siteBucket: s3.Bucket;
  readonly logsBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  /** The web app's own user-pool client: callback and sign-out URLs on this distribution */
  readonly client: cognito.UserPoolClient;
  /** `https://<host>` the app is served from, no trailing slash: the custom domain, else CloudFront's */
  readonly origin: string;
  /** Host of the Cognito hosted UI, when a domain prefix is configured */
  readonly authDomain?: string;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    // Grant S3 log delivery with a bucket policy (the current AWS advice) rather than an ACL.
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    if (Boolean(props.domainName) !== Boolean(props.certificateArn)) {
      throw new Error('A custom web domain needs both domainName and certificateArn (an ACM certificate in us-east-1).');
    }
    this.authDomain = props.authDomainPrefix ? hostedUiDomain(props.authDomainPrefix, this.region) : undefined;
    if (!this.authDomain) {
      Annotations.of(this).addWarningV2(
        'helpdesk:web-without-hosted-ui',
        'No authDomainPrefix: the web app gets no Cognito hosted UI to sign in with. Deploy with -c authDomainPrefix=<unique-prefix>.',
      );
    }

    // One log bucket for both logs of the site: S3 server access logs (bucket policy) and CloudFront
    // standard logs, which CloudFront can only deliver through an ACL grant, hence ACLs enabled.
    this.logsBucket = new s3.Bucket(this, 'LogsBucket', {
      ...secureBucketDefaults,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
    });
    this.siteBucket = new s3.Bucket(this, 'SiteBucket', {
      ...secureBucketDefaults,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'site/',
      // every deploy overwrites index.html and config.json: keep replaced versions for a rollback window
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
    });

    this.responseHeadersPolicy = this.securityHeaders();

    const certificate = props.certificateArn ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn) : undefined;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Help desk web app',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.siteBucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        // honours each object's Cache-Control: assets immutable for a year, index.html and
        // config.json `no-cache` (set by the web-content stack), and invalidated on every deploy
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
      },
      // The single-page app: any page path that is no object (S3 answers 403 through OAC, as
      // CloudFront may not list the bucket; 404 for completeness) gets index.html, not cached.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      })),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'cloudfront/',
      logIncludesCookies: false,
      ...(certificate && props.domainName
        ? { certificate, domainNames: [props.domainName], minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 }
        : {}),
    });

    const host = props.domainName ?? this.distribution.distributionDomainName;
    this.origin = `https://${host}`;

    // The web app's own client, so its URLs can name this distribution; the stateful stack's
    // client keeps the URLs given by context (local development, other front ends).
    this.client = new cognito.UserPoolClient(this, 'WebAppClient', {
      userPool: props.userPool,
      ...webClientOptions([`${this.origin}${AUTH_CALLBACK_PATH}`], [`${this.origin}${SIGNED_OUT_PATH}`]),
    });

    new CfnOutput(this, 'WebUrl', { value: this.origin });
    new CfnOutput(this, 'DistributionDomainName', { value: this.distribution.distributionDomainName, description: 'CNAME target for a custom domain' });
    new CfnOutput(this, 'DistributionId', { value: this.distribution.distributionId });
    new CfnOutput(this, 'WebClientId', { value: this.client.userPoolClientId });

    this.acknowledgeFindings(Boolean(certificate));
  }

  /** The headers of `shared/web/security-headers.ts` (the local runtime sends the same ones). */
  private securityHeaders() {
    const csp = contentSecurityPolicy({
      api: apiSources(this),
      auth: this.authDomain ? `https://${this.authDomain}` : undefined,
    });
    const referrerPolicy = Object.values(cloudfront.HeadersReferrerPolicy).find((v) => v === STATIC_SECURITY_HEADERS['referrer-policy']);
    if (!referrerPolicy) throw new Error(`CloudFront has no referrer policy ${STATIC_SECURITY_HEADERS['referrer-policy']}`);
    const frameOption = Object.values(cloudfront.HeadersFrameOption).find((v) => v === STATIC_SECURITY_HEADERS['x-frame-options']);
    if (!frameOption) throw new Error(`CloudFront has no frame option ${STATIC_SECURITY_HEADERS['x-frame-options']}`);
    if (STATIC_SECURITY_HEADERS['x-content-type-options'] !== 'nosniff') throw new Error('CloudFront sends X-Content-Type-Options: nosniff only');
    const permissionsPolicy = STATIC_SECURITY_HEADERS['permissions-policy'];
    if (!permissionsPolicy) throw new Error('STATIC_SECURITY_HEADERS has no permissions-policy');

    return new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Help desk web app: CSP, HSTS and the other security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        strictTransportSecurity: { accessControlMaxAge: HSTS_MAX_AGE, includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption, override: true },
        referrerPolicy: { referrerPolicy, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [{ header: 'Permissions-Policy', value: permissionsPolicy, override: true }],
      },
    });
  }

  /**
   * cdk-nag (AwsSolutions) acknowledgements for this stack, each with its reason, each on the
   * narrowest construct and finding.
   */
  private acknowledgeFindings(customCertificate: boolean) {
    const distribution = this.distribution.node.defaultChild as cloudfront.CfnDistribution;
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'The help desk serves customers wherever they are; no country is excluded by policy.',
    });
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason: 'Static files only (the API is not behind this distribution); a WAF web ACL costs per rule and request and can be attached later.',
    });
    if (!customCertificate) {
      Validations.of(distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason: 'The default *.cloudfront.net certificate cannot set a minimum TLS version; deploy with -c webDomain/-c webCertificateArn for TLSv1.2_2021.',
      });
    }
    Validations.of(this.logsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket is the destination of the site bucket and CloudFront logs; logging it into itself would loop.',
    });
  }
}

/**
 * The CSP's API source: every execute-api host of the region. The API's own host cannot appear
 * here (see the top of this file); the API still only answers the CORS origin of this site.
 */
export const apiSources = (stack: Stack) => `https://*.execute-api.${stack.region}.${stack.urlSuffix}`;
