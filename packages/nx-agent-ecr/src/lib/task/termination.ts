// The process's one reaction to Ctrl-C, SIGTERM and SIGHUP (a closed terminal or SSH session): abort what is open.
// One set of listeners, installed while at least one run scope is open, for every executor and login session.

/** The bits of `process` this module needs, so tests can hand in an EventEmitter. */
export interface SignalHost {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  removeListener(signal: NodeJS.Signals, listener: () => void): unknown;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

interface Registration {
  aborts: Set<() => void>;
  listener: () => void;
}

const registrations = new Map<SignalHost, Registration>();

/**
 * Calls `abort` on the next SIGINT, SIGTERM or SIGHUP of `host` (default: this process). Returns the function that
 * unregisters it; the host's listeners go with the last registration, so nothing outlives the run. While
 * registered, the signal no longer ends the process by itself: the aborted work ends, then the executor returns.
 */
export function onTermination(abort: () => void, host: SignalHost = process): () => void {
  let registration = registrations.get(host);
  if (!registration) {
    const aborts = new Set<() => void>();
    registration = { aborts, listener: () => [...aborts].forEach((fn) => fn()) };
    registrations.set(host, registration);
    for (const signal of SIGNALS) host.on(signal, registration.listener);
  }
  registration.aborts.add(abort);
  return () => {
    const current = registrations.get(host);
    if (!current?.aborts.delete(abort) || current.aborts.size > 0) return;
    registrations.delete(host);
    for (const signal of SIGNALS) host.removeListener(signal, current.listener);
  };
}
