import { DomainError, ERRORS, type ErrorCode, type ErrorKind, type FieldError } from '../domain/errors.ts';

/**
 * The one place where error kinds become HTTP statuses, as RFC 9457 problem documents:
 * `{ type, title, status, detail, code, errors? }` with `content-type: application/problem+json`.
 * Codes, their kinds and titles are declared in shared/domain/errors.ts.
 */
const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'unsupported-type': 415,
  'unknown-reference': 422,
  unprocessable: 422,
  'rate-limited': 429,
  internal: 500,
  unavailable: 503,
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: readonly FieldError[];
  [extra: string]: unknown;
}

export function statusOf(code: ErrorCode): number {
  return STATUS[ERRORS[code].kind];
}

export function toProblem(err: unknown): Problem {
  if (err instanceof DomainError) {
    const { kind, title } = ERRORS[err.code];
    const { errors, retryAfter: _retryAfter, ...extra } = err.extra;
    return {
      ...extra,
      type: `https://pioneer.example/problems/${err.code.toLowerCase().replaceAll('_', '-')}`,
      title,
      status: STATUS[kind],
      detail: err.detail,
      code: err.code,
      ...(errors && errors.length > 0 ? { errors } : {}),
    };
  }
  return {
    type: 'https://pioneer.example/problems/internal',
    title: ERRORS.INTERNAL.title,
    status: 500,
    detail: 'Something went wrong on our side. It has been logged; retrying later may help.',
    code: 'INTERNAL',
  };
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Seconds a client should wait before retrying a 503 (a DomainError's `retryAfter`, else 1). */
const DEFAULT_RETRY_AFTER = 1;

/**
 * The headers of a problem response: its content type, no caching, and `Retry-After` on every 503
 * (an unavailable dependency: the database throttled, failed or could not be reached).
 */
export function problemHeaders(err: unknown, problem: Problem): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' };
  if (problem.status === 503) {
    const s = err instanceof DomainError ? Number(err.extra.retryAfter) : Number.NaN;
    headers['retry-after'] = String(Number.isInteger(s) && s > 0 ? s : DEFAULT_RETRY_AFTER);
  }
  return headers;
}
