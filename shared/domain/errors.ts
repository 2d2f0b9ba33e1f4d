/**
 * Domain errors carry a stable name; the HTTP layer maps each name to one RFC 9457 problem.
 * Nothing here knows about HTTP.
 */
export interface FieldIssue {
  /** JSON pointer-ish path, e.g. `title` or `resolution.text` */
  path: string;
  message: string;
  code: string;
}

export type DomainErrorName =
  | 'validation'
  | 'not-found'
  | 'conflict'
  | 'invalid-transition'
  | 'forbidden'
  | 'forbidden-fields'
  | 'unauthorized'
  | 'precondition-required'
  | 'precondition-failed'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'method-not-allowed';

export class DomainError extends Error {
  readonly errors: FieldIssue[];
  constructor(
    readonly kind: DomainErrorName,
    message: string,
    errors: FieldIssue[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.errors = errors;
  }
}

export const validationError = (message: string, errors: FieldIssue[] = []) =>
  new DomainError('validation', message, errors);
export const notFound = (what: string) => new DomainError('not-found', `${what} was not found.`);
export const conflict = (message: string, errors: FieldIssue[] = []) => new DomainError('conflict', message, errors);
export const invalidTransition = (message: string, extra: Record<string, unknown> = {}) =>
  new DomainError('invalid-transition', message, [], extra);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const preconditionFailed = (current: number, what = 'case') =>
  new DomainError(
    'precondition-failed',
    `The ${what} was changed by someone else since you read it. Reload it and apply your change again.`,
    [],
    { currentVersion: current },
  );

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
