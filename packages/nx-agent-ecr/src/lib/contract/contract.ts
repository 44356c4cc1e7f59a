// The runtime contract of a service: what its running container answers. The generator's template table fills it in
// (generators/agent-service/templates.ts), project.json carries it (metadata.contract), docker-run checks an image
// against it.

export type JsonScalar = string | number | boolean;

/** How a contract check exercises one endpoint, and what the answer must show besides a 2xx status. */
export interface EndpointCheck {
  /** JSON request body; sent with POST. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Fields the JSON answer must carry (dotted paths, e.g. `result.serverInfo.name`), each with its allowed values; [] allows any. */
  fields?: Record<string, JsonScalar[]>;
}

export interface Endpoint {
  method: 'GET' | 'POST';
  path: string;
  what: string;
  /** Present when a contract check can exercise the endpoint with no network and no credentials. */
  check?: EndpointCheck;
}

/** What a running container of the service answers: the facts a contract check needs. */
export interface Contract {
  port: number;
  /** GET path that answers 2xx once the service is up (the image's HEALTHCHECK uses it). */
  healthPath: string;
  endpoints: Endpoint[];
  /** The largest image the runtime accepts, in MB (10^6 bytes); AgentCore Runtime's is 1 GB and cannot be raised. */
  maxImageSizeMB?: number;
}

/** The clauses a contract check can check; `health` starts the container, `endpoints` needs it healthy. */
export const CLAUSES = ['platform', 'user', 'size', 'health', 'endpoints'] as const;
export type Clause = (typeof CLAUSES)[number];

/** Clauses that need a running container. */
export const RUNNING_CLAUSES: readonly Clause[] = ['health', 'endpoints'];
