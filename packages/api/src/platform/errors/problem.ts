/**
 * The one error type. Everything the API refuses becomes a ProblemError, rendered as RFC 9457
 * `application/problem+json` by ProblemFilter. `type` is a stable URI clients can switch on.
 */
export interface FieldError {
  /** JSON pointer-ish path into the request, e.g. `body.email` or `query.limit`. */
  field: string;
  message: string;
}

export interface ProblemInit {
  status: number;
  type: string;
  title: string;
  detail?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** Extra members safe to show the caller (never request values or PHI). */
  extensions?: Record<string, unknown>;
}

export const PROBLEM_BASE = 'https://ehrms.dev/problems/';

export class ProblemError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;
  readonly extensions: Record<string, unknown> | undefined;

  constructor(init: ProblemInit) {
    super(init.detail ?? init.title);
    this.status = init.status;
    this.type = init.type.startsWith('https://') ? init.type : PROBLEM_BASE + init.type;
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors;
    this.headers = init.headers;
    this.extensions = init.extensions;
  }
}

/** The problems every module uses; module-specific ones are built with `new ProblemError`. */
export const Problems = {
  validation: (errors: FieldError[]) =>
    new ProblemError({
      status: 400,
      type: 'validation',
      title: 'The request is not valid',
      detail: 'One or more fields are missing or wrong.',
      errors,
    }),
  malformed: (detail: string) =>
    new ProblemError({ status: 400, type: 'malformed-request', title: 'Malformed request', detail }),
  unauthenticated: (detail = 'A valid access token is required.') =>
    new ProblemError({
      status: 401,
      type: 'unauthenticated',
      title: 'Not authenticated',
      detail,
      headers: { 'www-authenticate': 'Bearer realm="ehrms"' },
    }),
  forbidden: (detail = 'You do not have permission for this action.') =>
    new ProblemError({ status: 403, type: 'forbidden', title: 'Forbidden', detail }),
  notFound: (what = 'resource') =>
    new ProblemError({
      status: 404,
      type: 'not-found',
      title: 'Not found',
      detail: `The ${what} does not exist or is not visible to you.`,
    }),
  conflict: (detail: string, type = 'conflict') =>
    new ProblemError({ status: 409, type, title: 'Conflict', detail }),
  preconditionFailed: (detail = 'The record changed since you read it; reload and try again.') =>
    new ProblemError({ status: 412, type: 'precondition-failed', title: 'Precondition failed', detail }),
  tooLarge: (limit: number) =>
    new ProblemError({
      status: 413,
      type: 'payload-too-large',
      title: 'Request body too large',
      detail: `The limit is ${limit} bytes.`,
    }),
  unsupportedMediaType: () =>
    new ProblemError({
      status: 415,
      type: 'unsupported-media-type',
      title: 'Unsupported media type',
      detail: 'Send application/json.',
    }),
  rateLimited: (retryAfterSeconds: number) =>
    new ProblemError({
      status: 429,
      type: 'rate-limited',
      title: 'Too many requests',
      detail: `Try again in ${retryAfterSeconds} seconds.`,
      headers: { 'retry-after': String(retryAfterSeconds) },
    }),
  internal: () =>
    new ProblemError({
      status: 500,
      type: 'internal',
      title: 'Internal error',
      detail: 'Something went wrong on our side; it has been logged.',
    }),
  unavailable: (detail: string) =>
    new ProblemError({ status: 503, type: 'unavailable', title: 'Service unavailable', detail }),
};
