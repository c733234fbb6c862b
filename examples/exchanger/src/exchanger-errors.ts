/** Stable codes of the exchanger's HTTP errors, with their status and meaning. */
export const EXCHANGER_ERRORS = {
  EXCHANGER_LOGIN_FAILED: { status: 401, meaning: 'Unknown email or wrong password.' },
  EXCHANGER_NOT_AUTHENTICATED: { status: 401, meaning: 'No live session of this application.' },
  EXCHANGER_FORBIDDEN: {
    status: 403,
    meaning: 'The user lacks the permission in this application.',
  },
  EXCHANGER_NOT_FOUND: { status: 404, meaning: 'No such order, rate or report type.' },
  EXCHANGER_INVALID_INPUT: { status: 400, meaning: 'A request field is missing or malformed.' },
  EXCHANGER_CONFLICT: { status: 409, meaning: 'The resource is not in a state that allows this.' },
} as const;

/** A stable exchanger error code. */
export type ExchangerErrorCode = keyof typeof EXCHANGER_ERRORS;

/** An error the HTTP apps answer with its code and status: `{ code, message }`. */
export class ExchangerError extends Error {
  readonly code: ExchangerErrorCode;
  readonly statusCode: number;

  constructor(code: ExchangerErrorCode, message: string = EXCHANGER_ERRORS[code].meaning) {
    super(message);
    this.name = 'ExchangerError';
    this.code = code;
    this.statusCode = EXCHANGER_ERRORS[code].status;
  }
}
