// What each agent-service template is: per protocol its runtime contract (port, health path, endpoints), the
// containers it runs (for task definitions) and the pinned packages it installs. The one table every consumer reads:
// the generator, the README, the contract check and the deploy files.
import type { Clause, Contract, Endpoint, EndpointCheck } from '../../lib/contract/contract';
import { IMAGE_PINS, type PythonPackage } from './pins';

export type { Contract, Endpoint };

export const TEMPLATE_NAMES = ['aws-agent-core', 'langgraph', 'snowflake-cortex', 'langfuse'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** Bedrock AgentCore Runtime's protocols; the other templates speak plain HTTP. */
export const PROTOCOLS = ['http', 'mcp', 'a2a'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** One container of a deployment: ECS task definitions are derived from this. */
export interface ContainerSpec {
  /** Container name; `{name}` is the service name. */
  name: string;
  /** The Nx project whose pushed image runs in it; `{name}` is the service name. */
  project: string;
  port: number;
  healthPath: string;
  /** Plain environment variables the container needs (values come from the deployment, never the image). */
  env: string[];
  /** Variables that must come from a secret store (ECS `secrets`, Secrets Manager, SSM). */
  secrets: string[];
}

export interface TemplateInfo {
  description: string;
  /** Python services have an app, a venv and uvicorn; langfuse only repackages its upstream images. */
  python: boolean;
  baseImage: string;
  contracts: Partial<Record<Protocol, Contract>>;
  /** Pinned distributions in requirements.txt, per protocol. */
  packages: Partial<Record<Protocol, PythonPackage[]>>;
  containers: ContainerSpec[];
  /** How the generated contract-check target runs the image: plain env (never secrets), and which clauses apply. */
  contractCheck: { env?: Record<string, string>; checks?: Clause[] };
}

const PROMPT = { prompt: 'What does the contract check ask?' };
const INVOKE: Endpoint = {
  method: 'POST',
  path: '/invoke',
  what: 'JSON {"prompt", "session_id"?, "metadata"?} → the answer',
  check: { body: PROMPT },
};
const HEALTH = (what: string): Endpoint => ({ method: 'GET', path: '/health', what, check: { fields: { status: ['ok'] } } });
/** AgentCore Runtime's health answer: the platform reads `status` and routes only to Healthy / HealthyBusy. */
const PING: EndpointCheck = { fields: { status: ['Healthy', 'HealthyBusy'] } };
/** AgentCore Runtime refuses larger images, and the quota cannot be raised. */
const AGENTCORE_MAX_IMAGE_MB = 1000;
/** The Python templates' agents answer with their stand-in under AGENT_BACKEND=stub: no model, no credentials. */
const STUB_BACKEND = { env: { AGENT_BACKEND: 'stub' } };
const MCP_INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'nx-agent-ecr-contract-check', version: '1' } },
};
const A2A_SEND = {
  jsonrpc: '2.0',
  id: 1,
  method: 'SendMessage',
  params: { message: { messageId: 'contract-check', role: 'ROLE_USER', parts: [{ text: PROMPT.prompt }] } },
};

const LANGFUSE_ENV = [
  'NEXTAUTH_URL',
  'CLICKHOUSE_URL',
  'CLICKHOUSE_MIGRATION_URL',
  'CLICKHOUSE_USER',
  'REDIS_HOST',
  'REDIS_PORT',
  'LANGFUSE_S3_EVENT_UPLOAD_BUCKET',
  'LANGFUSE_S3_EVENT_UPLOAD_REGION',
  'LANGFUSE_S3_MEDIA_UPLOAD_BUCKET',
  'LANGFUSE_S3_MEDIA_UPLOAD_REGION',
  'TELEMETRY_ENABLED',
];
const LANGFUSE_SECRETS = ['DATABASE_URL', 'SALT', 'ENCRYPTION_KEY', 'CLICKHOUSE_PASSWORD', 'REDIS_AUTH'];
/** The worker's pinned image and contract: a second Nx project, `<name>-worker`, in the service's worker/ folder. */
export const LANGFUSE_WORKER = { suffix: '-worker', folder: 'worker', port: 3030, healthPath: '/api/health' } as const;

export const TEMPLATES: Record<TemplateName, TemplateInfo> = {
  'aws-agent-core': {
    description: 'Strands agent on the Bedrock AgentCore Runtime contract',
    python: true,
    baseImage: IMAGE_PINS.python,
    contracts: {
      http: {
        port: 8080,
        healthPath: '/ping',
        endpoints: [
          { method: 'GET', path: '/ping', what: '{"status": "Healthy" | "HealthyBusy", "time_of_last_update"}', check: PING },
          {
            method: 'POST',
            path: '/invocations',
            what: 'JSON {"prompt", "session_id"?, "metadata"?} → the answer',
            check: { body: PROMPT },
          },
        ],
        maxImageSizeMB: AGENTCORE_MAX_IMAGE_MB,
      },
      mcp: {
        port: 8000,
        healthPath: '/ping',
        endpoints: [
          {
            method: 'POST',
            path: '/mcp',
            what: 'MCP JSON-RPC, stateless streamable HTTP; tool "ask"',
            check: {
              headers: { Accept: 'application/json, text/event-stream' },
              body: MCP_INITIALIZE,
              fields: { 'result.serverInfo.name': [] },
            },
          },
          { method: 'GET', path: '/ping', what: '{"status": "Healthy"}', check: PING },
        ],
        maxImageSizeMB: AGENTCORE_MAX_IMAGE_MB,
      },
      a2a: {
        port: 9000,
        healthPath: '/ping',
        endpoints: [
          { method: 'GET', path: '/.well-known/agent-card.json', what: 'the A2A agent card', check: { fields: { name: [], skills: [] } } },
          {
            method: 'POST',
            path: '/',
            what: 'A2A JSON-RPC 2.0 (SendMessage, GetTask, …)',
            check: { body: A2A_SEND, fields: { result: [] } },
          },
          { method: 'GET', path: '/ping', what: '{"status": "Healthy"}', check: PING },
        ],
        maxImageSizeMB: AGENTCORE_MAX_IMAGE_MB,
      },
    },
    packages: {
      http: ['bedrock-agentcore', 'strands-agents', 'uvicorn'],
      mcp: ['mcp', 'strands-agents', 'uvicorn'],
      a2a: ['bedrock-agentcore', 'a2a-sdk', 'strands-agents', 'uvicorn'],
    },
    containers: [{ name: '{name}', project: '{name}', port: 0, healthPath: '', env: ['AWS_REGION'], secrets: [] }],
    contractCheck: STUB_BACKEND,
  },
  langgraph: {
    description: 'LangGraph supervisor that routes requests to worker agents, traced with Langfuse',
    python: true,
    baseImage: IMAGE_PINS.python,
    contracts: { http: { port: 8001, healthPath: '/health', endpoints: [HEALTH('{"status": "ok", "busy", "tracing", …}'), INVOKE] } },
    packages: { http: ['fastapi', 'uvicorn', 'langgraph', 'langchain-aws', 'langfuse'] },
    containers: [
      {
        name: '{name}',
        project: '{name}',
        port: 0,
        healthPath: '',
        env: ['AWS_REGION', 'LANGFUSE_BASE_URL', 'CORTEX_ENDPOINT'],
        secrets: ['LANGFUSE_PUBLIC_KEY', 'LANGFUSE_SECRET_KEY'],
      },
    ],
    contractCheck: STUB_BACKEND,
  },
  'snowflake-cortex': {
    description: 'Snowflake Cortex agent service',
    python: true,
    baseImage: IMAGE_PINS.python,
    contracts: { http: { port: 8000, healthPath: '/health', endpoints: [HEALTH('{"status": "ok", "busy", "snowflake"}'), INVOKE] } },
    packages: { http: ['fastapi', 'uvicorn', 'snowflake-connector-python'] },
    containers: [
      {
        name: '{name}',
        project: '{name}',
        port: 0,
        healthPath: '',
        env: ['SNOWFLAKE_ACCOUNT', 'SNOWFLAKE_USER', 'SNOWFLAKE_ROLE', 'SNOWFLAKE_WAREHOUSE'],
        secrets: ['SNOWFLAKE_PAT'],
      },
    ],
    contractCheck: STUB_BACKEND,
  },
  langfuse: {
    description: 'Langfuse (v4) self-hosted: the web image (UI and API) and the worker image, at a pinned release',
    python: false,
    baseImage: IMAGE_PINS.langfuseWeb,
    contracts: {
      http: {
        port: 3000,
        healthPath: '/api/public/health',
        endpoints: [
          { method: 'GET', path: '/', what: 'the Langfuse UI' },
          { method: 'GET', path: '/api/public/health', what: 'health' },
          { method: 'POST', path: '/api/public/otel/v1/traces', what: 'OpenTelemetry trace ingestion (the SDKs)' },
        ],
      },
    },
    packages: {},
    containers: [
      {
        name: '{name}-web',
        project: '{name}',
        port: 0,
        healthPath: '',
        env: LANGFUSE_ENV,
        secrets: [...LANGFUSE_SECRETS, 'NEXTAUTH_SECRET'],
      },
      {
        name: `{name}${LANGFUSE_WORKER.suffix}`,
        project: `{name}${LANGFUSE_WORKER.suffix}`,
        port: LANGFUSE_WORKER.port,
        healthPath: LANGFUSE_WORKER.healthPath,
        env: LANGFUSE_ENV,
        secrets: LANGFUSE_SECRETS,
      },
    ],
    // Langfuse starts only against Postgres, ClickHouse, Redis and S3: its image is checked, not run.
    contractCheck: { checks: ['platform', 'user', 'size'] },
  },
};

export function isTemplateName(value: string): value is TemplateName {
  return (TEMPLATE_NAMES as readonly string[]).includes(value);
}

export function isProtocol(value: string): value is Protocol {
  return (PROTOCOLS as readonly string[]).includes(value);
}

/** The protocols a template offers, http first. */
export function protocolsOf(template: TemplateName): Protocol[] {
  return PROTOCOLS.filter((p) => TEMPLATES[template].contracts[p] !== undefined);
}

/** The contract of a generated service, with its actual port (the template's default when not given). */
export function serviceContract(template: TemplateName, protocol: Protocol, port?: number): Contract {
  const contract = TEMPLATES[template].contracts[protocol];
  if (!contract) throw new Error(`The ${template} template has no ${protocol} contract.`);
  return { ...contract, port: port ?? contract.port };
}

/**
 * The containers of a generated service, names resolved: port 0 / empty health mean "the service's own contract".
 * Issue 16's ECS task definitions and the deploy target are derived from this list.
 */
export function serviceContainers(name: string, template: TemplateName, contract: Contract): ContainerSpec[] {
  return TEMPLATES[template].containers.map((c) => ({
    ...c,
    name: c.name.replace('{name}', name),
    project: c.project.replace('{name}', name),
    port: c.port || contract.port,
    healthPath: c.healthPath || contract.healthPath,
  }));
}
