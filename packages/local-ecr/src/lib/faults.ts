// Fault hooks for tests (none by default): each fault is scoped to one operation and decides, by counting that
// operation's calls, which call it fires on. What a firing does to the request is up to the protocol handlers.

export interface FaultSpec {
  /** An ECR API operation (`PutImage`), `GetCallerIdentity` (STS), or a registry operation (`registry:PutManifest`). */
  operation: string;
  /** Only calls that name this repository. */
  repository?: string;
  /** Fire on the Nth matching call only (1 = the next one). */
  nth?: number;
  /** Fire on every Kth matching call (2 = every other call, i.e. 50 %). */
  every?: number;
  /** Fire at most this many times. */
  times?: number;
  /** Answer with this AWS error code, in the protocol's real shape (see fault-answers.ts). */
  error?: string;
  message?: string;
  /** Wait this long before handling the call (with `error`: before failing it). */
  delayMs?: number;
  /** Never answer: hold the connection until the client gives up. */
  blackHole?: boolean;
  /** After the write, readers (DescribeImages, BatchGetImage, ListImages) see the tag's old state for this long. */
  hideTagMs?: number;
  /** Reset the connection (TCP RST) after this many request body bytes, or at the end of a shorter body. */
  resetAfterBytes?: number;
  /** SIGKILL local-ecr right after the inner registry stored the manifest, before the bookkeeping. */
  crashAfterStore?: boolean;
}

export interface Fault extends FaultSpec {
  id: string;
  /** Matching calls counted so far. */
  calls: number;
  /** Times it fired. */
  fired: number;
}

export class FaultSpecError extends Error {}

const WRITE_OPERATIONS = new Set(['PutImage', 'registry:PutManifest']);
const UPLOAD_OPERATIONS = new Set(['registry:UploadLayerPart', 'registry:CompleteLayerUpload']);
const EFFECTS = ['error', 'delayMs', 'blackHole', 'hideTagMs', 'resetAfterBytes', 'crashAfterStore'] as const;
const KEYS = new Set<string>(['operation', 'repository', 'nth', 'every', 'times', 'message', ...EFFECTS]);

function count(spec: Record<string, unknown>, key: string, min: number): number | undefined {
  const value = spec[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw new FaultSpecError(`fault ${key} must be a whole number >= ${min}, got ${JSON.stringify(value)}.`);
  return value;
}

function text(spec: Record<string, unknown>, key: string, pattern?: RegExp): string | undefined {
  const value = spec[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || (pattern && !pattern.test(value)))
    throw new FaultSpecError(
      `fault ${key} must be ${pattern ? `a name like ThrottlingException` : 'a string'}, got ${JSON.stringify(value)}.`,
    );
  return value;
}

/** Validates a fault as posted to the admin API; throws one line naming the field and the fix. */
export function parseFaultSpec(raw: unknown, operations: ReadonlySet<string>): FaultSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new FaultSpecError('a fault must be a JSON object like {"operation":"PutImage","nth":1,"error":"ServerException"}.');
  const spec = raw as Record<string, unknown>;
  const unknown = Object.keys(spec).find((key) => !KEYS.has(key));
  if (unknown) throw new FaultSpecError(`fault field '${unknown}' is unknown; use ${[...KEYS].join(', ')}.`);
  const operation = text(spec, 'operation');
  if (!operation || !operations.has(operation))
    throw new FaultSpecError(`fault operation ${JSON.stringify(operation)} is unknown; use one of ${[...operations].join(', ')}.`);
  const parsed: FaultSpec = { operation };
  const assign = <K extends keyof FaultSpec>(key: K, value: FaultSpec[K] | undefined) => value !== undefined && (parsed[key] = value);
  assign('repository', text(spec, 'repository'));
  assign('nth', count(spec, 'nth', 1));
  assign('every', count(spec, 'every', 1));
  assign('times', count(spec, 'times', 1));
  assign('error', text(spec, 'error', /^[A-Za-z][A-Za-z0-9]*$/));
  assign('message', text(spec, 'message'));
  assign('delayMs', count(spec, 'delayMs', 0));
  assign('hideTagMs', count(spec, 'hideTagMs', 1));
  assign('resetAfterBytes', count(spec, 'resetAfterBytes', 0));
  for (const flag of ['blackHole', 'crashAfterStore'] as const) {
    if (spec[flag] !== undefined && typeof spec[flag] !== 'boolean') throw new FaultSpecError(`fault ${flag} must be true or false.`);
    if (spec[flag] === true) parsed[flag] = true;
  }
  if (parsed.nth !== undefined && parsed.every !== undefined) throw new FaultSpecError('a fault takes nth or every, not both.');
  if (!EFFECTS.some((effect) => parsed[effect] !== undefined))
    throw new FaultSpecError(`a fault needs an effect: one of ${EFFECTS.join(', ')}.`);
  if ((parsed.hideTagMs !== undefined || parsed.crashAfterStore) && !WRITE_OPERATIONS.has(operation)) {
    throw new FaultSpecError(`hideTagMs and crashAfterStore apply to ${[...WRITE_OPERATIONS].join(' and ')}, not ${operation}.`);
  }
  if (parsed.resetAfterBytes !== undefined && !UPLOAD_OPERATIONS.has(operation)) {
    throw new FaultSpecError(`resetAfterBytes applies to ${[...UPLOAD_OPERATIONS].join(' and ')}, not ${operation}.`);
  }
  return parsed;
}

/** Whether the fault fires on its `calls`-th matching call. */
function firesOn(fault: Fault): boolean {
  if (fault.times !== undefined && fault.fired >= fault.times) return false;
  if (fault.nth !== undefined) return fault.calls === fault.nth;
  if (fault.every !== undefined) return fault.calls % fault.every === 0;
  return true;
}

export class FaultBook {
  private readonly faults = new Map<string, Fault>();
  private nextId = 1;

  constructor(readonly operations: ReadonlySet<string>) {}

  add(raw: unknown): Fault {
    const fault: Fault = { id: `f${this.nextId++}`, ...parseFaultSpec(raw, this.operations), calls: 0, fired: 0 };
    this.faults.set(fault.id, fault);
    return { ...fault };
  }

  list(): Fault[] {
    return [...this.faults.values()].map((fault) => ({ ...fault }));
  }

  remove(id: string): boolean {
    return this.faults.delete(id);
  }

  clear(): void {
    this.faults.clear();
  }

  /** Counts one call against every fault of this operation (and repository); returns the faults that fire on it. */
  onCall(operation: string, repository?: string): Fault[] {
    const firing: Fault[] = [];
    for (const fault of this.faults.values()) {
      if (fault.operation !== operation || (fault.repository !== undefined && fault.repository !== repository)) continue;
      fault.calls += 1;
      if (!firesOn(fault)) continue;
      fault.fired += 1;
      firing.push(fault);
    }
    return firing;
  }
}

/** The combined effect of the faults that fire on one call (the first one's error wins). */
export interface FaultEffect {
  error?: { code: string; message?: string };
  delayMs: number;
  blackHole: boolean;
  hideTagMs?: number;
  resetAfterBytes?: number;
  crashAfterStore: boolean;
}

export function combine(faults: readonly Fault[]): FaultEffect {
  const withError = faults.find((fault) => fault.error);
  const hide = faults.find((fault) => fault.hideTagMs !== undefined)?.hideTagMs;
  const reset = faults.find((fault) => fault.resetAfterBytes !== undefined)?.resetAfterBytes;
  return {
    ...(withError?.error ? { error: { code: withError.error, ...(withError.message ? { message: withError.message } : {}) } } : {}),
    delayMs: faults.reduce((sum, fault) => sum + (fault.delayMs ?? 0), 0),
    blackHole: faults.some((fault) => fault.blackHole),
    ...(hide !== undefined ? { hideTagMs: hide } : {}),
    ...(reset !== undefined ? { resetAfterBytes: reset } : {}),
    crashAfterStore: faults.some((fault) => fault.crashAfterStore),
  };
}
