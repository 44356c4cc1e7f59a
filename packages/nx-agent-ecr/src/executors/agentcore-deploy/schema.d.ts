/* Generated from schema.json by tools/schema-types.mjs. Do not edit by hand: edit schema.json and run `nx run nx-agent-ecr:schema-types`. */

/**
 * Create or update the service's Bedrock AgentCore runtime with this run's image by digest (nothing when it already runs it with this configuration), wait until it is READY and optionally point a named endpoint at the new version.
 */
export interface AgentcoreDeployExecutorSchema {
  /**
   * Runtime configuration (CreateAgentRuntime's keys: roleArn, networkConfiguration, protocolConfiguration, environmentVariables, …), relative to the workspace root. {{accountId}}, {{region}}, {{projectName}}, {{environment}}, {{service}} and {{env.NAME}} are filled in. Default: <projectRoot>/deploy/agentcore.json.
   */
  config?: string;
  /**
   * AgentCore runtime name; hyphens become underscores, and anything else outside [a-zA-Z][a-zA-Z0-9_]{0,47} is refused. Default: agentRuntimeName in the file, else <projectName>_<environment>_<service>.
   */
  runtimeName?: string;
  /**
   * IAM role the runtime runs as (trusted by bedrock-agentcore.amazonaws.com); overrides roleArn in the file.
   */
  roleArn?: string;
  /**
   * A named runtime endpoint (e.g. prod) to point at the deployed version with UpdateAgentRuntimeEndpoint; created when missing. Default: none (the DEFAULT endpoint follows the latest version by itself).
   */
  endpointName?: string;
  /**
   * As on ecr-push: the first part of the repository and runtime names, and {{projectName}}. Default: $PROJECT_NAME, then PROJECT_NAME in .env.ecr, then the workspace's name.
   */
  projectName?: string;
  /**
   * As on ecr-push (the dev/staging/prod configurations set it): which repository's push record is deployed, and {{environment}}. Default: $ENVIRONMENT, then ENVIRONMENT in .env.ecr, then dev.
   */
  environment?: string;
  /**
   * As on ecr-push: the service part of the repository and runtime names, and {{service}}. Default: the Nx project name.
   */
  service?: string;
  /**
   * The repository ecr-push pushed to, when ecr-push sets repositoryName. Default: <projectName>-<environment>-<service>.
   */
  repositoryName?: string;
  /**
   * AWS region. Default: $AWS_REGION, then $AWS_DEFAULT_REGION, then the profile's region.
   */
  region?: string;
  /**
   * Named AWS profile (shared config, SSO), as AWS_PROFILE. Default: the SDK's default credential chain.
   */
  profile?: string;
  /**
   * Bounded attempts of the AWS SDK's adaptive retry (throttling, 5xx).
   */
  maxAwsAttempts?: number;
  /**
   * Wait until the runtime (and the endpoint, with endpointName) is READY on the new version.
   */
  wait?: boolean;
  /**
   * Deadline of each wait; past it the deploy fails in one line with the status it last saw.
   */
  timeoutSeconds?: number;
  /**
   * Seconds between GetAgentRuntime calls while waiting.
   */
  pollSeconds?: number;
  /**
   * Scan gate: before anything is registered or updated, wait for the ECR scan of the digest about to be deployed and fail when it has findings at or above this severity, listing the top ones. "none" turns the gate off.
   */
  failOnSeverity?: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL' | 'none';
  /**
   * Scan gate: how long to wait for the scan to settle (polled with backoff; COMPLETE without results and continuous scanning's ACTIVE count as settled only once results are there).
   */
  scanTimeoutSeconds?: number;
  /**
   * Scan gate: what a digest with no findings to judge gets: never scanned (the repository does not scan on push), UNSUPPORTED_IMAGE, FINDINGS_UNAVAILABLE, SCAN_ELIGIBILITY_EXPIRED. A FAILED scan always fails.
   */
  scanUnavailable?: 'fail' | 'pass';
  /**
   * Print the plan (create, update or unchanged) with read-only calls only; create and update nothing.
   */
  dryRun?: boolean;
}
