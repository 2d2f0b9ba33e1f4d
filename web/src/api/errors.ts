/** RFC 9457 problem+json answers from the API, as one error type the pages can inspect. */

export interface FieldError {
  path: string;
  message: string;
  code: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[];
  /** the whole problem document, including extension members such as `currentVersion` */
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.type = problem.type ?? 'about:blank';
    this.title = problem.title ?? `HTTP ${status}`;
    this.detail = problem.detail;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.problem = problem;
  }

  /** 0 = the request never got an answer (offline, DNS, CORS...) */
  static network(cause: unknown): ApiError {
    const err = new ApiError(0, { title: 'Network error', detail: cause instanceof Error ? cause.message : String(cause) });
    return err;
  }

  get isConflict(): boolean {
    return this.status === 412;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  /** On 412 the API names the version the case has now. */
  get currentVersion(): number | undefined {
    const v = this.problem.currentVersion;
    return typeof v === 'number' ? v : undefined;
  }

  /** The first field error for `path` (e.g. `title`), if any. */
  fieldError(path: string): FieldError | undefined {
    return this.errors.find((e) => e.path === path);
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

export async function toApiError(res: Response): Promise<ApiError> {
  let problem: Problem = {};
  const type = res.headers.get('content-type') ?? '';
  try {
    if (type.includes('json')) {
      const body = (await res.json()) as unknown;
      if (body && typeof body === 'object') problem = body as Problem;
      // API Gateway's own answers look like {"message": "Unauthorized"}
      const message = (body as { message?: unknown } | null)?.message;
      if (!problem.title && typeof message === 'string') problem = { ...problem, title: message };
    } else {
      const text = await res.text();
      if (text) problem = { title: text.slice(0, 200) };
    }
  } catch {
    /* keep the empty problem */
  }
  return new ApiError(res.status, { ...problem, status: res.status });
}
