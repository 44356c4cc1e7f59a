// The AgentCore runtime's configuration, purely: the runtime name, the file's keys, and the Create/Update inputs.
// An update creates a new immutable version from exactly what it is sent, so it re-sends the whole configuration:
// the file's, over what the runtime has now (e.g. an authorizer set in the console stays).
import type {
  CreateAgentRuntimeCommandInput,
  GetAgentRuntimeCommandOutput,
  UpdateAgentRuntimeCommandInput,
} from '@aws-sdk/client-bedrock-agentcore-control';
import { UserError } from '../errors';

const RUNTIME_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,47}$/;
/** AgentCore keeps at most this many versions per runtime; an update past it fails. */
export const VERSION_CAP = 1000;

/** The keys of CreateAgentRuntime/UpdateAgentRuntime a configuration file may set (the API's own names). */
export const CONFIG_KEYS = [
  'agentRuntimeName',
  'description',
  'roleArn',
  'networkConfiguration',
  'protocolConfiguration',
  'environmentVariables',
  'lifecycleConfiguration',
  'authorizerConfiguration',
  'requestHeaderConfiguration',
  'metadataConfiguration',
  'filesystemConfigurations',
  'capacityProviderConfiguration',
  'platformVersion',
] as const;
const UPDATE_KEYS = CONFIG_KEYS.filter((k) => k !== 'agentRuntimeName');

/** The runtime's configuration as the file states it; metadataConfiguration can only be set by an update. */
export type RuntimeConfig = Omit<CreateAgentRuntimeCommandInput, 'agentRuntimeArtifact' | 'clientToken' | 'tags'> &
  Pick<UpdateAgentRuntimeCommandInput, 'metadataConfiguration'>;

/** Hyphens become underscores (a DNS-style service name maps 1:1); anything else that breaks the rule is refused. */
export function runtimeNameFor(name: string, source: string): string {
  const mapped = name.replace(/-/g, '_');
  if (RUNTIME_NAME.test(mapped)) return mapped;
  const why = !/^[a-zA-Z]/.test(mapped)
    ? 'it must start with a letter'
    : mapped.length > 48
      ? `it is ${mapped.length} characters long, at most 48 are allowed`
      : `"${[...new Set(mapped.replace(/[a-zA-Z0-9_]/g, ''))].join('')}" is not allowed`;
  throw new UserError(
    `Runtime name "${name}" (${source}) cannot be an AgentCore runtime name: ` +
      `with hyphens as underscores it must match [a-zA-Z][a-zA-Z0-9_]{0,47}, and ${why}. Set runtimeName.`,
  );
}

/** Refuses keys the deploy does not send (typos, or agentRuntimeArtifact, which is always this run's digest). */
export function checkRuntimeFile(json: Record<string, unknown>, file: string): void {
  const unknown = Object.keys(json).filter((k) => !(CONFIG_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    const artifact = unknown.includes('agentRuntimeArtifact') ? " (the container URI is always this run's <repositoryUri>@sha256:…)" : '';
    throw new UserError(`${file}: unknown key(s) ${unknown.join(', ')}${artifact}; allowed: ${CONFIG_KEYS.join(', ')}.`);
  }
  if (!json['networkConfiguration']) throw new UserError(`${file}: "networkConfiguration" is missing; e.g. {"networkMode": "PUBLIC"}.`);
}

const artifact = (containerUri: string) => ({ containerConfiguration: { containerUri } });

export function createInput(config: RuntimeConfig, containerUri: string): CreateAgentRuntimeCommandInput {
  const create: RuntimeConfig = { ...config };
  delete create.metadataConfiguration; // an update-only key: it applies from the first update on
  return { ...create, agentRuntimeArtifact: artifact(containerUri) };
}

/** The complete configuration: what the runtime has now, overlaid with the file, and this run's image. */
export function updateInput(
  current: GetAgentRuntimeCommandOutput,
  config: RuntimeConfig,
  containerUri: string,
): UpdateAgentRuntimeCommandInput {
  const kept = Object.fromEntries(UPDATE_KEYS.filter((k) => current[k] !== undefined).map((k) => [k, current[k]]));
  const wanted = Object.fromEntries(UPDATE_KEYS.filter((k) => config[k] !== undefined).map((k) => [k, config[k]]));
  return {
    ...kept,
    ...wanted,
    agentRuntimeId: current.agentRuntimeId,
    roleArn: config.roleArn,
    agentRuntimeArtifact: artifact(containerUri),
  };
}

/** True when the runtime already runs `containerUri` with everything the file asks for: an update would only add a version. */
export function runtimeUpToDate(current: GetAgentRuntimeCommandOutput, config: RuntimeConfig, containerUri: string): boolean {
  if (current.agentRuntimeArtifact?.containerConfiguration?.containerUri !== containerUri) return false;
  return UPDATE_KEYS.every((key) => {
    if (config[key] === undefined) return true;
    // The environment is the file's exactly: a variable removed from the file must leave the runtime too.
    return key === 'environmentVariables' ? sameJson(config[key], current[key] ?? {}) : contains(current[key], config[key]);
  });
}

/** Whether `actual` holds everything `wanted` says (AgentCore fills in defaults the file need not repeat). */
export function contains(actual: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted))
    return Array.isArray(actual) && actual.length === wanted.length && wanted.every((w, i) => contains(actual[i], w));
  if (wanted && typeof wanted === 'object') {
    return (
      !!actual &&
      typeof actual === 'object' &&
      Object.entries(wanted).every(([k, w]) => w === undefined || contains((actual as Record<string, unknown>)[k], w))
    );
  }
  return actual === wanted;
}

function sameJson(a: unknown, b: unknown): boolean {
  return contains(a, b) && contains(b, a);
}
