/** The body of every error answer: `{ error: { code, message, details? } }`. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}
