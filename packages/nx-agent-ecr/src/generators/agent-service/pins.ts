// Every version a generated service pins, in one place: the requirements of each template and the images its
// Dockerfiles start from. Renovate (renovate.ts) keeps the generated copies current after generation.

/** A pinned Python distribution; `extras` go in brackets, `why` says why it is not simply the newest release. */
export interface PythonPin {
  version: string;
  extras?: string;
  why?: string;
}

/**
 * Python distributions, checked in November 2026. Each is the current release unless `why` says otherwise; the code
 * of the templates is written against these versions' APIs (read from their own docs and source).
 */
export const PYTHON_PINS = {
  fastapi: { version: '0.163.2' },
  uvicorn: { version: '0.54.0' },
  'strands-agents': { version: '1.62.0' },
  'bedrock-agentcore': { version: '1.25.0' },
  // 2.3.0 is out, but strands-agents declares mcp>=1.23.0,<2.2: 2.1.1 is the newest release both accept.
  mcp: { version: '2.1.1', why: 'strands-agents 1.62.0 accepts mcp<2.2; 2.3.0 is the newest release' },
  'a2a-sdk': { version: '1.3.0', extras: 'http-server' },
  langgraph: { version: '1.2.22' },
  'langchain-aws': { version: '1.9.1' },
  langfuse: { version: '5.0.4' },
  'snowflake-connector-python': { version: '5.2.0' },
} as const satisfies Record<string, PythonPin>;

export type PythonPackage = keyof typeof PYTHON_PINS;

/** `name[extras]==version`, the line a requirements.txt holds. */
export function requirementLine(name: PythonPackage): string {
  const pin: PythonPin = PYTHON_PINS[name];
  return `${name}${pin.extras ? `[${pin.extras}]` : ''}==${pin.version}`;
}

/**
 * Base images. The Python base is ECR Public's mirror of the Docker official image (no Docker Hub rate limits);
 * 3.14 is the newest Python every pinned distribution supports. Langfuse publishes no digests in its release
 * notes, so its images are pinned by version here and by digest by Renovate's first update (pinDigests).
 */
export const IMAGE_PINS = {
  python: 'public.ecr.aws/docker/library/python:3.14-slim',
  // 4.59.0: the oldest Langfuse server the pinned Python SDK (langfuse 5) supports, per Langfuse's v4 → v5 guide.
  langfuseWeb: 'docker.io/langfuse/langfuse:4.59.0',
  langfuseWorker: 'docker.io/langfuse/langfuse-worker:4.59.0',
} as const;
