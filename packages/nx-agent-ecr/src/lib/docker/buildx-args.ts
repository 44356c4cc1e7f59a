// The `docker buildx build` argument list: a pure function of the build's inputs and the probed runtime facts.
import { shellWord } from '../shell';

/** What the machine told us (docker-probes.ts). `buildxVersion` undefined means "not probed" (dry run): assume current. */
export interface BuildxFacts {
  buildxVersion?: string;
  /** Driver of the builder the build will use: docker, docker-container, remote, kubernetes. */
  driver?: string;
}

export interface BuildxInput {
  /** Paths as they should appear on the command line (relative to the cwd of the command). */
  dockerfile: string;
  context: string;
  platforms: string[];
  /** Full image references. */
  tags: string[];
  buildArgs: Record<string, string>;
  target?: string;
  labels: Record<string, string>;
  secrets: string[];
  cacheFrom: string[];
  cacheTo: string[];
  builder?: string;
  load: boolean;
  push: boolean;
  pull: boolean;
  noCache: boolean;
  provenance: boolean;
  sbom: boolean;
  metadataFile?: string;
}

/** buildx 0.10 added --provenance / --sbom (and default attestations, which is why we turn them off explicitly). */
export const ATTESTATION_FLAGS_SINCE = '0.10.0';

export function buildxArgs(input: BuildxInput, facts: BuildxFacts): string[] {
  const args = ['buildx', 'build', '--progress=plain'];
  if (input.builder) args.push('--builder', input.builder);
  args.push('--file', input.dockerfile, '--platform', input.platforms.join(','));
  for (const tag of input.tags) args.push('--tag', tag);
  for (const [name, value] of Object.entries(input.buildArgs)) args.push('--build-arg', `${name}=${value}`);
  if (input.target) args.push('--target', input.target);
  for (const [name, value] of Object.entries(input.labels)) args.push('--label', `${name}=${value}`);
  for (const secret of input.secrets) args.push('--secret', secret);
  for (const spec of input.cacheFrom) args.push('--cache-from', spec);
  for (const spec of input.cacheTo) args.push('--cache-to', withEcrCacheAttributes(spec));
  args.push(...outputArgs(input, facts));
  if (input.pull) args.push('--pull');
  if (input.noCache) args.push('--no-cache');
  if (versionAtLeast(facts.buildxVersion, ATTESTATION_FLAGS_SINCE)) {
    args.push(`--provenance=${input.provenance}`, `--sbom=${input.sbom}`);
  }
  if (input.metadataFile) args.push('--metadata-file', input.metadataFile);
  // After `--` the context is a path whatever it is called: a folder named --push is not a flag.
  args.push('--', input.context);
  return args;
}

// The docker driver stores every image it builds in the engine, also when it pushes, and its embedded BuildKit
// rejects two outputs ("multiple outputs currently unsupported"): --push alone already loads there.
function outputArgs(input: BuildxInput, facts: BuildxFacts): string[] {
  if (input.push && input.load && facts.driver === 'docker') return ['--push'];
  return [...(input.load ? ['--load'] : []), ...(input.push ? ['--push'] : [])];
}

/** `a=b,c=d` → entries in order. Values may contain `=`. */
export function parseCsvAttributes(spec: string): [string, string][] {
  return spec
    .split(',')
    .filter((part) => part.length > 0)
    .map((part) => {
      const at = part.indexOf('=');
      return at < 0 ? [part, ''] : [part.slice(0, at), part.slice(at + 1)];
    });
}

const ECR_HOST = /^\d{12}\.dkr[.-]ecr(-fips)?\.[a-z0-9-]+\.(amazonaws\.com(\.cn)?|on\.aws)$/;

export function isEcrHost(host: string): boolean {
  return ECR_HOST.test(host);
}

/** Cache type of a --cache-from/--cache-to spec; a bare reference means a registry cache, as in buildx. */
export function cacheType(spec: string): string {
  if (!spec.includes('=')) return 'registry';
  return parseCsvAttributes(spec).find(([key]) => key === 'type')?.[1] ?? 'registry';
}

// ECR answers 400 to the default cache manifest list; it accepts the cache as an OCI image manifest.
export function withEcrCacheAttributes(spec: string): string {
  if (cacheType(spec) !== 'registry') return spec;
  const attributes = spec.includes('=')
    ? parseCsvAttributes(spec)
    : [
        ['type', 'registry'],
        ['ref', spec],
      ];
  const ref = attributes.find(([key]) => key === 'ref')?.[1] ?? '';
  if (!isEcrHost(ref.split('/')[0] ?? '')) return spec;
  const full = attributes.some(([key]) => key === 'type') ? attributes : [['type', 'registry'], ...attributes];
  for (const key of ['image-manifest', 'oci-mediatypes']) {
    if (!full.some(([k]) => k === key)) full.push([key, 'true']);
  }
  return full.map(([key, value]) => `${key}=${value}`).join(',');
}

/** Semver-ish comparison that tolerates "v0.13.1", "0.13.1+ds1", "0.13.1-desktop.1". Unknown version → true. */
export function versionAtLeast(version: string | undefined, minimum: string): boolean {
  if (version === undefined) return true;
  const parse = (v: string) => (v.replace(/^v/, '').match(/^(\d+)\.(\d+)(?:\.(\d+))?/) ?? []).slice(1, 4).map((n) => Number(n ?? 0));
  const have = parse(version);
  const want = parse(minimum);
  if (have.length === 0) return true;
  for (let i = 0; i < 3; i++) {
    if ((have[i] ?? 0) !== (want[i] ?? 0)) return (have[i] ?? 0) > (want[i] ?? 0);
  }
  return true;
}

/** The command as a user can paste it into a shell (for logs and dry runs; never contains secret values). */
export function formatCommand(file: string, args: readonly string[]): string {
  return [file, ...args].map(shellWord).join(' ');
}
