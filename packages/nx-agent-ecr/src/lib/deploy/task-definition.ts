// The ECS task definition: the deploy file checked, rendered with this run's image by digest, and compared with
// the family's latest ACTIVE revision, so an unchanged service registers no new revision.
import type { RegisterTaskDefinitionCommandInput, TaskDefinition } from '@aws-sdk/client-ecs';
import { UserError } from '../errors';
import { renderPlaceholders, type PlaceholderValues } from './placeholders';

export const IMAGE_PLACEHOLDER = '{{image}}';

/** What ECS adds to a description that the registration did not send: not part of "what was registered". */
const DESCRIBED_ONLY = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'tags',
];

type Json = Record<string, unknown>;

/**
 * Refuses a file that cannot become this service's task definition: no family, no containers, no container whose
 * image is exactly {{image}}, or a CPU architecture the image was not built for.
 */
export function checkTaskDefinition(json: Json, file: string, platforms: string[]): void {
  if (typeof json['family'] !== 'string' || !json['family']) throw new UserError(`${file}: "family" must be a non-empty string.`);
  const containers = json['containerDefinitions'];
  if (
    !Array.isArray(containers) ||
    containers.length === 0 ||
    !containers.every((c) => c && typeof c === 'object' && typeof (c as Json)['name'] === 'string')
  ) {
    throw new UserError(`${file}: "containerDefinitions" must be a non-empty list of containers, each with a "name".`);
  }
  if (!containers.some((c) => (c as Json)['image'] === IMAGE_PLACEHOLDER)) {
    throw new UserError(
      `${file}: no container has "image": "${IMAGE_PLACEHOLDER}"; ` +
        "set it on the container that runs this service's image (it becomes <repositoryUri>@sha256:…).",
    );
  }
  const arch = (json['runtimePlatform'] as Json | undefined)?.['cpuArchitecture'];
  const fargate = Array.isArray(json['requiresCompatibilities']) && json['requiresCompatibilities'].includes('FARGATE');
  // Fargate runs X86_64 when runtimePlatform is absent; an EC2 task without it runs on whatever the instance is.
  const needs = arch === 'ARM64' ? 'linux/arm64' : arch === 'X86_64' || (arch === undefined && fargate) ? 'linux/amd64' : undefined;
  if (needs && !platforms.includes(needs)) {
    const now = arch === undefined ? 'absent, which Fargate runs as X86_64' : String(arch);
    throw new UserError(
      `${file}: runtimePlatform.cpuArchitecture is ${now}, but the image was built for ${platforms.join(', ')}: ` +
        'set "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"}.',
    );
  }
}

/** The RegisterTaskDefinition input: placeholders filled, `{{image}}` becoming `<repositoryUri>@sha256:…`. */
export function renderTaskDefinition(json: Json, values: PlaceholderValues, env: NodeJS.ProcessEnv): RegisterTaskDefinitionCommandInput {
  return renderPlaceholders(json, values, env) as unknown as RegisterTaskDefinitionCommandInput;
}

/** True when `current` (DescribeTaskDefinition) is what registering `desired` would make, ECS defaults aside. */
export function sameTaskDefinition(desired: RegisterTaskDefinitionCommandInput, current: TaskDefinition): boolean {
  return JSON.stringify(canonical(desired as unknown as Json)) === JSON.stringify(canonical(current as unknown as Json));
}

/** One form for both sides: described-only keys out, ECS's defaults in, empty values out, named lists sorted. */
export function canonical(definition: Json): unknown {
  const out: Json = Object.fromEntries(Object.entries(definition).filter(([key]) => !DESCRIBED_ONLY.includes(key)));
  out['networkMode'] ??= 'bridge';
  for (const key of ['cpu', 'memory']) if (out[key] !== undefined) out[key] = String(out[key]);
  const awsvpc = out['networkMode'] === 'awsvpc';
  if (Array.isArray(out['containerDefinitions']))
    out['containerDefinitions'] = out['containerDefinitions'].map((c) => containerDefaults(c as Json, awsvpc));
  return clean(out);
}

function containerDefaults(container: Json, awsvpc: boolean): Json {
  const out: Json = { cpu: 0, essential: true, ...container };
  if (Array.isArray(out['portMappings'])) {
    out['portMappings'] = out['portMappings'].map((m: Json) => ({
      protocol: 'tcp',
      ...(awsvpc && m['containerPort'] !== undefined ? { hostPort: m['containerPort'] } : {}),
      ...m,
    }));
  }
  return out;
}

/** Drops null, undefined, [] and {} at every depth; sorts lists whose items all have a string "name". */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(clean).filter((v) => v !== undefined);
    const named = items.length > 1 && items.every((i) => i && typeof i === 'object' && typeof (i as Json)['name'] === 'string');
    return named ? [...items].sort((a, b) => String((a as Json)['name']).localeCompare(String((b as Json)['name']))) : items;
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, clean(v)] as const)
      .filter(
        ([, v]) =>
          v !== undefined &&
          v !== null &&
          !(Array.isArray(v) && v.length === 0) &&
          !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as Json).length === 0),
      );
    return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
  }
  return value ?? undefined;
}
