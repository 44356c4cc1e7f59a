/* Generated from schema.json by tools/schema-types.mjs. Do not edit by hand: edit schema.json and run `nx run nx-agent-ecr:schema-types`. */

/**
 * Register the service's ECS task definition with this run's image by digest (only when it differs from the family's latest active revision), update the ECS service and wait until its rollout completes.
 */
export interface EcsDeployExecutorSchema {
  /**
   * Task definition template (RegisterTaskDefinition's JSON), relative to the workspace root. The container whose image is {{image}} gets <repositoryUri>@sha256:…; {{accountId}}, {{region}}, {{projectName}}, {{environment}}, {{service}} and {{env.NAME}} are filled in. Default: <projectRoot>/deploy/ecs/task-definition.json.
   */
  taskDefinition?: string;
  /**
   * ECS cluster of the service to update. With service; without both, the task definition is only registered.
   */
  cluster?: string;
  /**
   * ECS service to update to the new task definition (it must exist). With cluster.
   */
  service?: string;
  /**
   * As on ecr-push: the first part of the repository name, and {{projectName}}. Default: $PROJECT_NAME, then PROJECT_NAME in .env.ecr, then the workspace's name.
   */
  projectName?: string;
  /**
   * As on ecr-push (the dev/staging/prod configurations set it): which repository's push record is deployed, and {{environment}}. Default: $ENVIRONMENT, then ENVIRONMENT in .env.ecr, then dev.
   */
  environment?: string;
  /**
   * The repository ecr-push pushed to, when ecr-push sets repositoryName or service. Default: <projectName>-<environment>-<Nx project name>.
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
   * Wait until the service's deployment of the new task definition reports rolloutState COMPLETED (or, without rolloutState, runs its desired count).
   */
  wait?: boolean;
  /**
   * Deadline of the wait; past it the deploy fails with the service's last events.
   */
  timeoutSeconds?: number;
  /**
   * Seconds between DescribeServices calls while waiting.
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
   * Print the plan (register or unchanged, update the service or not) with read-only calls only; register and update nothing.
   */
  dryRun?: boolean;
}
