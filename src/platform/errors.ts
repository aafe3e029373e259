/**
 * One error shape for every 4xx/5xx: an RFC 9457 problem document whose `code` comes from the
 * closed list below, with an `errors` array naming every field at fault.
 *
 * @example
 * throw new AppError('NOT_FOUND', 'no staff S999');
 * throw AppError.validation([{ path: 'staff[3].no', message: 'duplicate code S003' }]);
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const problemCodes = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** The server is stopping (or cannot do its part right now); try again. */
  UNAVAILABLE: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ProblemCode = keyof typeof problemCodes;

export interface FieldProblem {
  /** JSON path (`staff[3].no`) or `line 12` for line-based input. */
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  errors?: FieldProblem[];
}

export class AppError extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly errors?: FieldProblem[],
  ) {
    super(message);
  }

  get status(): ContentfulStatusCode {
    return problemCodes[this.code];
  }

  static validation(errors: FieldProblem[], message = 'the input has problems; nothing was stored') {
    return new AppError('VALIDATION_FAILED', message, errors);
  }

  toProblem(): Problem {
    return {
      type: `urn:neikong:problem:${this.code.toLowerCase()}`,
      title: this.code.toLowerCase().replaceAll('_', ' '),
      status: this.status,
      code: this.code,
      detail: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

/** Sends a problem document. */
export function problem(c: Context, err: AppError) {
  return c.body(JSON.stringify(err.toProblem()), err.status, {
    'content-type': 'application/problem+json; charset=utf-8',
  });
}

/** Turns zod issues into field problems with JSON paths like `staff[3].no`. */
export function zodIssuesToProblems(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  prefix = '',
): FieldProblem[] {
  return issues.map((i) => ({ path: jsonPath(i.path, prefix), message: i.message }));
}

export function jsonPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '$';
}
