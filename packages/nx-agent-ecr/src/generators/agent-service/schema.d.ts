/* Generated from schema.json by tools/schema-types.mjs. Do not edit by hand: edit schema.json and run `nx run nx-agent-ecr:schema-types`. */

/**
 * Scaffold an agent service under apps/<name>: ARM64-ready multi-stage Dockerfile, .dockerignore, the app and its pytest contract tests, a README, and Nx targets docker-build, ecr-push, test and serve.
 */
export interface AgentServiceGeneratorSchema {
  /**
   * Service name: the Nx project name, the folder name and the ECR repository component. Lowercase letters, digits and hyphens, 1-63 characters, starting and ending with a letter or digit.
   */
  name: string;
  /**
   * What the service is: aws-agent-core, langgraph, snowflake-cortex or langfuse. Defaults to the name when the name is one of the templates; otherwise it is required.
   */
  template?: 'aws-agent-core' | 'langgraph' | 'snowflake-cortex' | 'langfuse';
  /**
   * Folder of the service, relative to the workspace root. Default: apps/<name>.
   */
  directory?: string;
  /**
   * Port the service listens on and EXPOSEs. Default per template: aws-agent-core 8080 (AgentCore's contract), langgraph 8001, snowflake-cortex 8000, langfuse 3000.
   */
  port?: number;
  /**
   * Shared Python libs (folder names under libs/, each with a pyproject.toml) the service uses. Each is COPYed into the image and listed in requirements.txt as a local path; the image is then built from the workspace root with apps/<name>/Dockerfile.dockerignore as its allow-list.
   */
  libs?: string[];
  /**
   * Default of the Dockerfile's BASE_IMAGE build arg. Default: public.ecr.aws/docker/library/python:3.12-slim (langfuse: its pinned upstream image).
   */
  baseImage?: string;
  /**
   * Skip formatting the generated files.
   */
  skipFormat?: boolean;
}
