/**
 * The one error mapper: domain errors and zod issues become RFC 9457 problem+json. A 500 says
 * nothing internal; the detail goes to the log with the request id.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ZodError } from 'zod';
import { type DomainErrorName, type FieldIssue, isDomainError } from '../domain/errors';

const STATUS: Record<DomainErrorName, [number, string]> = {
  validation: [400, 'Your request is not valid.'],
  'not-found': [404, 'Not found.'],
  conflict: [409, 'Conflict.'],
  'invalid-transition': [409, 'This action is not allowed in the current state.'],
  forbidden: [403, 'Forbidden.'],
  'forbidden-fields': [403, 'Some fields cannot be set by you.'],
  unauthorized: [401, 'Unauthorized.'],
  'precondition-required': [428, 'If-Match is required.'],
  'precondition-failed': [412, 'The resource has changed.'],
  'payload-too-large': [413, 'The request body is too large.'],
  'unsupported-media-type': [415, 'Unsupported media type.'],
  'method-not-allowed': [405, 'Method not allowed.'],
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldIssue[];
  [extra: string]: unknown;
}

export const zodIssues = (e: ZodError, prefix = ''): FieldIssue[] =>
  e.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)',
    code: i.code === 'unrecognized_keys' ? 'unknown_field' : i.code,
    message:
      i.code === 'unrecognized_keys' ? `unknown field${i.keys.length > 1 ? 's' : ''}: ${i.keys.join(', ')}` : i.message,
  }));

export function toProblem(err: unknown, instance?: string): Problem {
  if (isDomainError(err)) {
    const [status, title] = STATUS[err.kind];
    // extension members first: they can never overwrite the standard ones
    return {
      ...err.extra,
      type: `/problems/${err.kind}`,
      title,
      status,
      detail: err.message,
      ...(instance ? { instance } : {}),
      ...(err.errors.length ? { errors: err.errors } : {}),
    };
  }
  if (err instanceof ZodError)
    return { type: '/problems/validation', title: STATUS.validation[1], status: 400, detail: 'Some fields are not valid.', errors: zodIssues(err), ...(instance ? { instance } : {}) };
  return {
    type: '/problems/internal',
    title: 'Internal error.',
    status: 500,
    detail: 'Something went wrong on our side. It has been logged; please try again.',
    ...(instance ? { instance } : {}),
  };
}

export const problemResponse = (p: Problem, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 => ({
  statusCode: p.status,
  headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(p),
});
