/**
 * `call(arg)`, with a synchronous throw turned into a rejection: callers on a hot path that
 * chain promises without an `async` function still fail one way only.
 */
export function callSafely<A, R>(call: (arg: A) => Promise<R>, arg: A): Promise<R> {
  try {
    return call(arg);
  } catch (error) {
    return Promise.reject(error);
  }
}
