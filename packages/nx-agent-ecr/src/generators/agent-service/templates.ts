// What each agent-service template is: its port, its endpoints, its base image and which template folders it uses.
export const TEMPLATE_NAMES = ['aws-agent-core', 'langgraph', 'snowflake-cortex', 'langfuse'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** The pinned Python base: ECR Public's mirror of the Docker official image avoids Docker Hub's pull rate limits. */
export const PYTHON_BASE_IMAGE = 'public.ecr.aws/docker/library/python:3.12-slim';
/**
 * Langfuse web (v3) at a pinned release. Langfuse publishes to Docker Hub and GHCR; no ECR Public repository of
 * theirs could be verified, so mirror it into your own registry and override BASE_IMAGE where Docker Hub limits bite.
 */
export const LANGFUSE_IMAGE = 'docker.io/langfuse/langfuse:3.172.1';

export interface TemplateInfo {
  description: string;
  port: number;
  /** Python services have an app, a venv and uvicorn; langfuse only repackages its upstream image. */
  python: boolean;
  baseImage: string;
  healthPath: string;
  invokePath?: string;
}

export const TEMPLATES: Record<TemplateName, TemplateInfo> = {
  'aws-agent-core': {
    description: 'Strands agent behind the Bedrock AgentCore Runtime contract',
    port: 8080,
    python: true,
    baseImage: PYTHON_BASE_IMAGE,
    healthPath: '/ping',
    invokePath: '/invocations',
  },
  langgraph: {
    description: 'LangGraph supervisor that routes requests to worker agents, traced with Langfuse',
    port: 8001,
    python: true,
    baseImage: PYTHON_BASE_IMAGE,
    healthPath: '/health',
    invokePath: '/invoke',
  },
  'snowflake-cortex': {
    description: 'Snowflake Cortex agent service',
    port: 8000,
    python: true,
    baseImage: PYTHON_BASE_IMAGE,
    healthPath: '/health',
    invokePath: '/invoke',
  },
  langfuse: {
    description: 'Langfuse observability web service (UI and API), packaged from its pinned upstream image',
    port: 3000,
    python: false,
    baseImage: LANGFUSE_IMAGE,
    healthPath: '/api/public/health',
  },
};

export function isTemplateName(value: string): value is TemplateName {
  return (TEMPLATE_NAMES as readonly string[]).includes(value);
}
