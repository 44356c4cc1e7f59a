/* Generated from schema.json by tools/schema-types.mjs. Do not edit by hand: edit schema.json and run `nx run nx-agent-ecr:schema-types`. */

/**
 * Check AWS credentials, ensure the ECR repository, and push the image built by docker-arm64-build — or only retag / promote when ECR already holds its content tag.
 */
export interface EcrPushExecutorSchema {
  /**
   * First part of the repository name <projectName>-<environment>-<service>. Default: $PROJECT_NAME, then PROJECT_NAME in .env.ecr, then the workspace's name.
   */
  projectName?: string;
  /**
   * Environment part of the repository name (the dev/staging/prod configurations set it). Default: $ENVIRONMENT, then ENVIRONMENT in .env.ecr, then dev.
   */
  environment?: string;
  /**
   * Service part of the repository name. Default: the Nx project name.
   */
  service?: string;
  /**
   * The whole repository name; overrides the <projectName>-<environment>-<service> template.
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
   * Image tags to push besides the content tag, which is always pushed. {gitSha} and {environment} are filled in. Default: ["latest", "{gitSha}"].
   */
  tags?: string[];
  /**
   * Repository setting on creation: scan images on push.
   */
  scanOnPush?: boolean;
  /**
   * Repository setting on creation: encryption type.
   */
  encryption?: 'AES256' | 'KMS';
  /**
   * KMS key ARN or alias when encryption is KMS (default: the AWS managed key).
   */
  kmsKey?: string;
  /**
   * Repository setting on creation: whether tags can move. With IMMUTABLE, prefer tags that never move (content tag, git sha) over latest.
   */
  imageTagMutability?: 'MUTABLE' | 'IMMUTABLE';
  /**
   * AWS resource tags for the repository on creation, e.g. {"team": "agents"}.
   */
  repositoryTags?: {
    [k: string]: string | undefined;
  };
  /**
   * Lifecycle policy applied when the repository is created.
   */
  lifecyclePolicy?: {
    /**
     * Keep only the newest N images.
     */
    maxImageCount?: number;
    /**
     * Expire untagged images after N days.
     */
    untaggedExpireDays?: number;
    /**
     * A complete lifecycle policy JSON document (instead of the two rules above).
     */
    policyText?: string;
  };
  /**
   * Where the content may already be, so the image is copied registry to registry (same digest, never rebuilt) instead of pushed: an environment of this account and region (its repository <projectName>-<environment>-<service>), or an object for another account or region. Set to "" to disable.
   */
  promoteFrom?:
    | string
    | {
        /**
         * The source environment (default dev): its repository is <projectName>-<environment>-<service>.
         */
        environment?: string;
        /**
         * The source repository's full name (instead of environment).
         */
        repository?: string;
        /**
         * The source registry, <account>.dkr.ecr.<region>.amazonaws.com: its account and region in one.
         */
        registry?: string;
        /**
         * The source registry's account (registryId). Default: the account the credentials belong to.
         */
        account?: string;
        /**
         * The source registry's region. Default: this push's region.
         */
        region?: string;
        /**
         * A role in the source account to assume with STS from this run's credentials (or from profile's): read access to the source repository only.
         */
        roleArn?: string;
        /**
         * The external id the role's trust policy requires, if any.
         */
        externalId?: string;
        /**
         * A profile of the shared AWS config for the source; it may assume a role itself (role_arn + source_profile, or SSO). Default: this push's profile.
         */
        profile?: string;
        /**
         * The source region's ECR API endpoint when it is not the default: a VPC interface endpoint, or local-ecr.
         */
        endpoint?: string;
      };
  /**
   * Full repository name to promote from (overrides promoteFrom).
   */
  promoteFromRepository?: string;
  /**
   * Scan gate: before the image's tags move, wait for its ECR scan and fail when it has findings at or above this severity, listing the top ones. On by default (CRITICAL) when the push promotes from another environment (staging, prod); set it to gate any push, or to "none" to turn the gate off.
   */
  failOnSeverity?: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL' | 'none';
  /**
   * Scan gate: how long to wait for the scan to settle (polled with backoff; COMPLETE without results and continuous scanning's ACTIVE count as settled only once results are there).
   */
  scanTimeoutSeconds?: number;
  /**
   * Scan gate: what an image with no findings to judge gets: never scanned (the repository does not scan on push), UNSUPPORTED_IMAGE, FINDINGS_UNAVAILABLE, SCAN_ELIGIBILITY_EXPIRED. A FAILED scan always fails.
   */
  scanUnavailable?: 'fail' | 'pass';
  /**
   * Attempts of docker push in all, the first included: a transient network error (connection reset, i/o timeout, 5xx) is tried again with exponential backoff until this many attempts were made.
   */
  pushAttempts?: number;
  /**
   * Bounded attempts of the AWS SDK's adaptive retry (throttling, 5xx).
   */
  maxAwsAttempts?: number;
  /**
   * Print the plan (repository, tags, skip/retag/promote or would build + push) and change nothing: read-only AWS calls only (STS, Describe*), no login, no push, and the docker-build it depends on builds nothing.
   */
  dryRun?: boolean;
}
