/**
 * The one error catalogue. Every error a caller can get has a stable code here,
 * an HTTP status and a message a user understands. `docs/errors.md` lists the
 * same codes; `errors.test.ts` keeps the two in step.
 *
 * Throw with `throw new AppError('FIELD_INVALID', 'amount: not a number', { field: 'amount' })`.
 * The HTTP layer turns it into `{ "error": { "code", "message", "field"? } }`.
 */
export const ERROR_CATALOGUE = {
  // request shape
  BAD_REQUEST: { status: 400, message: 'The request is malformed.' },
  BAD_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body has an unsupported content type.' },
  VALIDATION_FAILED: { status: 422, message: 'One or more fields are invalid.' },
  FIELD_REQUIRED: { status: 422, message: 'A required field is missing.' },
  FIELD_INVALID: { status: 422, message: 'A field has an invalid value.' },
  FIELD_UNKNOWN: { status: 400, message: 'The request names a field that does not exist.' },
  FIELD_READ_ONLY: { status: 422, message: 'The field cannot be set.' },
  FIELD_NOT_UNIQUE: { status: 409, message: 'Another record already has this value.' },
  RULE_VIOLATED: { status: 422, message: 'A validation rule of the object is violated.' },
  // filter, sort, formula
  FILTER_INVALID: { status: 400, message: 'The filter is not valid.' },
  OPERATOR_UNKNOWN: { status: 400, message: 'The filter uses an unknown operator.' },
  SORT_INVALID: { status: 400, message: 'The sort is not valid.' },
  PAGE_INVALID: { status: 400, message: 'The paging parameters are not valid.' },
  FORMULA_SYNTAX: { status: 422, message: 'The formula cannot be parsed.' },
  FORMULA_TYPE: { status: 422, message: 'The formula has a type error.' },
  // metadata
  OBJECT_UNKNOWN: { status: 404, message: 'No such object.' },
  OBJECT_EXISTS: { status: 409, message: 'An object with this name already exists.' },
  FIELD_EXISTS: { status: 409, message: 'A field with this name already exists.' },
  FIELD_TYPE_CHANGE: { status: 422, message: 'The field type cannot be changed that way.' },
  META_INVALID: { status: 422, message: 'The object or field definition is not valid.' },
  // records
  RECORD_NOT_FOUND: { status: 404, message: 'No such record.' },
  VERSION_REQUIRED: { status: 428, message: 'The update must carry the record version.' },
  VERSION_CONFLICT: { status: 409, message: 'The record was changed by someone else; reload it.' },
  RECORD_LINKED: { status: 409, message: 'Other records link to this record.' },
  LINK_NOT_FOUND: { status: 422, message: 'A linked record does not exist.' },
  DOCUMENT_IMMUTABLE: { status: 409, message: 'A submitted document cannot be changed.' },
  IDEMPOTENCY_CONFLICT: { status: 409, message: 'The Idempotency-Key was used with a different request.' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, message: 'A request with this Idempotency-Key is still in progress.' },
  // stock and books
  STOCK_SHORTAGE: { status: 409, message: 'There is not enough stock.' },
  VOUCHER_UNBALANCED: { status: 422, message: 'The voucher does not balance: debits must equal credits.' },
  PERIOD_CLOSED: { status: 409, message: 'The accounting period is closed.' },
  CREDIT_LIMIT_EXCEEDED: { status: 422, message: 'The customer\'s credit limit would be exceeded.' },
  BUDGET_EXCEEDED: { status: 409, message: 'The posting would exceed a budget that blocks overruns.' },
  // import / export / files
  IMPORT_INVALID: { status: 422, message: 'The import file could not be read.' },
  IMPORT_MAPPING: { status: 422, message: 'The column mapping is not valid.' },
  IMPORT_ROWS_FAILED: { status: 422, message: 'Some rows are invalid; nothing was imported.' },
  JOB_NOT_FOUND: { status: 404, message: 'No such job.' },
  FILE_NOT_FOUND: { status: 404, message: 'No such file.' },
  FILE_NAME_INVALID: { status: 400, message: 'The file name is not allowed.' },
  // identity and access
  UNAUTHENTICATED: { status: 401, message: 'Log in first.' },
  LOGIN_FAILED: { status: 401, message: 'Wrong email or password.' },
  LOGIN_THROTTLED: { status: 429, message: 'Too many failed logins; wait and try again.' },
  SESSION_EXPIRED: { status: 401, message: 'The session has expired; log in again.' },
  PASSWORD_WEAK: { status: 422, message: 'The password is too weak.' },
  FORBIDDEN: { status: 403, message: 'You are not allowed to do this.' },
  FIELD_FORBIDDEN: { status: 400, message: 'You may not read or use this field.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; slow down.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  CONFLICT: { status: 409, message: 'The request conflicts with the current state.' },
  // never the caller's fault
  INTERNAL: { status: 500, message: 'Something went wrong on our side.' },
  UNAVAILABLE: { status: 503, message: 'The service is not ready.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface AppErrorOptions {
  /** The field (API name, dotted for child rows: `lines.3.qty`) the error is about. */
  field?: string;
  /** Extra machine-readable detail, e.g. per-row errors of an import. */
  details?: unknown;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field?: string;
  readonly details?: unknown;

  constructor(code: ErrorCode, message?: string, options: AppErrorOptions = {}) {
    super(message ?? ERROR_CATALOGUE[code].message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.field = options.field;
    this.details = options.details;
  }

  toJSON(): { error: { code: ErrorCode; message: string; field?: string; details?: unknown } } {
    const error: { code: ErrorCode; message: string; field?: string; details?: unknown } = {
      code: this.code,
      message: this.message,
    };
    if (this.field !== undefined) error.field = this.field;
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
