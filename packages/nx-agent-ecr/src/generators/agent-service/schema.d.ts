/* Generated from schema.json by tools/schema-types.mjs. Do not edit by hand: edit schema.json and run `nx run nx-agent-ecr:schema-types`. */

/**
 * Scaffold an agent service under apps/<name>: ARM64-ready multi-stage Dockerfile, .dockerignore, the app and its pytest contract tests, a README, Nx targets docker-build, ecr-push, test and serve, and the workspace's Renovate config that keeps its pins current.
 */
export interface AgentServiceGeneratorSchema {
  /**
   * Service name: the Nx project name, the folder name and the ECR repository component. Lowercase letters, digits and hyphens, 1-63 characters, starting and ending with a letter or digit.
   */
  name: string;
  /**
   * What the service is: aws-agent-core, langgraph, snowflake-cortex or langfuse (web and worker images). Defaults to the name when the name is one of the templates; otherwise it is required.
   */
  template?: 'aws-agent-core' | 'langgraph' | 'snowflake-cortex' | 'langfuse';
  /**
   * The AgentCore Runtime protocol of an aws-agent-core service: http (port 8080, GET /ping, POST /invocations), mcp (port 8000, POST /mcp, stateless streamable HTTP) or a2a (port 9000, agent card at /.well-known/agent-card.json, JSON-RPC at /). The other templates speak http only. Default: http.
   */
  protocol?: 'http' | 'mcp' | 'a2a';
  /**
   * Folder of the service, relative to the workspace root. Default: apps/<name>.
   */
  directory?: string;
  /**
   * Port the service listens on and EXPOSEs. Default per template: aws-agent-core 8080 (http), 8000 (mcp), 9000 (a2a) as AgentCore's contract requires, langgraph 8001, snowflake-cortex 8000, langfuse 3000.
   */
  port?: number;
  /**
   * Shared Python libs (folder names under libs/, each with a pyproject.toml) the service uses. Each is COPYed into the image and listed in requirements.txt as a local path; the image is then built from the workspace root with apps/<name>/Dockerfile.dockerignore as its allow-list.
   */
  libs?: string[];
  /**
   * Default of the Dockerfile's BASE_IMAGE build arg. Default: public.ecr.aws/docker/library/python:3.14-slim (langfuse: its pinned upstream web image).
   */
  baseImage?: string;
  /**
   * Skip formatting the generated files.
   */
  skipFormat?: boolean;
}
