// Answers kept for later askers (memoised lookups) may fail before anyone asks; such a rejection is the asker's to
// handle, and must not count as unhandled (which would end the whole Nx batch process).

/** `promise` itself, marked handled: whoever awaits it later still gets its rejection. */
export function settled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
