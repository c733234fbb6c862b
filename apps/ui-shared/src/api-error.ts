/** The error body of every API failure: `{ error: { code, message, details? } }`. */
interface ErrorBody {
  readonly error?: {
    readonly code?: string;
    readonly message?: string;
    readonly details?: unknown;
  };
}

/** A refused API call: the HTTP status and the server's `error.code` and `error.message`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Build the error from a failed response, whatever its body is. */
  static async from(response: Response): Promise<ApiError> {
    const text = await response.text();
    let body: ErrorBody = {};
    try {
      body = JSON.parse(text) as ErrorBody;
    } catch {
      // not JSON (a proxy's HTML page...): the status text is all there is
    }
    const message =
      body.error?.message ?? `${response.status} ${response.statusText || 'request failed'}`;
    return new ApiError(
      response.status,
      body.error?.code ?? 'HTTP_ERROR',
      message,
      body.error?.details,
    );
  }
}

/** A message to show for any error thrown by a query or mutation. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return `Network error: ${error.message}`;
  return String(error);
}
