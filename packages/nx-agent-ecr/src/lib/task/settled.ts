// Answers kept for later askers (memoised lookups) may fail before anyone asks; such a rejection is the asker's to
// handle, and must not count as unhandled (which would end the whole Nx batch process).

/** `promise` itself, marked handled: whoever awaits it later still gets its rejection. */
export function settled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** A computation started at most once, by whoever comes first: `start` when it may be needed, `get` when it is. */
export function lazily<T>(compute: () => Promise<T>): { start: () => void; get: () => Promise<T> } {
  let promise: Promise<T> | undefined;
  const get = () => (promise ??= settled(compute()));
  return { start: () => void get(), get };
}
