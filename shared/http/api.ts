/**
 * The middy stack every HTTP function shares: context logging first, then dispatch by route key,
 * and the problem+json error mapper last. Handlers return plain results; this turns them into
 * API Gateway v2 responses (JSON, ETag, no-store).
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { type Caller, resolveCaller } from '../app/caller';
import type { Deps } from '../app/deps';
import { DomainError } from '../domain/errors';
import { type Principal, rolesFromClaim } from '../domain/principal';
import { logger } from './logger';
import { problemResponse, toProblem } from './problem';
import { etag } from './request';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

export interface RouteContext<D extends Deps = Deps> {
  event: ApiEvent;
  deps: D;
  /** the authenticated principal; routes without an authorizer get null */
  principal: Principal | null;
  /** the principal resolved to an actor (and for customers, their contact); 401 when anonymous */
  caller(): Promise<Caller>;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  /** adds an ETag for this version */
  version?: number;
  /** a non-JSON body (HTML, pre-serialised JSON) with its content type */
  raw?: { contentType: string; text: string };
  headers?: Record<string, string>;
}

export type Route<D extends Deps = Deps> = (ctx: RouteContext<D>) => Promise<RouteResult>;

const BASE_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };

export function principalOf(event: ApiEvent): Principal | null {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  if (!claims?.sub) return null;
  return {
    sub: String(claims.sub),
    email: String(claims.email ?? claims.username ?? ''),
    roles: rolesFromClaim(claims['cognito:groups']),
  };
}

export function httpApi<D extends Deps = Deps>(routes: Record<string, Route<D>>, deps: () => D) {
  const dispatch = async (event: ApiEvent): Promise<APIGatewayProxyStructuredResultV2> => {
    const route = routes[event.routeKey];
    if (!route) throw new DomainError('not-found', `No route ${event.routeKey}.`);
    const principal = principalOf(event);
    let caller: Promise<Caller> | undefined;
    const d = deps();
    const result = await route({
      event,
      deps: d,
      principal,
      caller: () => {
        if (!principal) return Promise.reject(new DomainError('unauthorized', 'Sign in first.'));
        caller ??= resolveCaller(d, principal);
        return caller;
      },
    });
    const headers: Record<string, string> = { ...BASE_HEADERS, ...result.headers };
    if (result.version !== undefined) headers.etag = etag(result.version);
    if (result.raw) return { statusCode: result.status, headers: { ...headers, 'content-type': result.raw.contentType }, body: result.raw.text };
    if (result.body === undefined) return { statusCode: result.status, headers };
    return {
      statusCode: result.status,
      headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(result.body),
    };
  };

  return middy<ApiEvent, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      onError: async (request) => {
        const problem = toProblem(request.error, request.event?.rawPath);
        if (problem.status >= 500) logger.error('request failed', { error: request.error as Error, routeKey: request.event?.routeKey });
        request.response = problemResponse(problem, BASE_HEADERS);
      },
    })
    .handler(dispatch);
}
