/* Generated from schema.json by tools/schema-types.mjs. Do not edit by hand: edit schema.json and run `nx run nx-agent-ecr:schema-types`. */

/**
 * Validate the push and build options, check AWS credentials, then deliver one image: retag or promote what ECR already holds, else build it (or reuse a local build of the same sources), push, move the tags, verify and record.
 */
export interface EcrPushExecutorSchema {
  /**
   * The docker-arm64-build target this push builds through, as project:target[:configuration] (Nx's convention, as in @nx/js:node). Its options are read and validated before anything runs. Default: <project>:docker-build, with the push's configuration when that target has it.
   */
  buildTarget?: string;
  /**
   * Options merged over the build target's options for this push, e.g. {"cacheFrom": "type=registry,ref=…"} (--buildTargetOptions.cacheFrom=… on the command line).
   */
  buildTargetOptions?: {
    [k: string]: unknown | undefined;
  };
  /**
   * Build the image when ECR holds its content nowhere and no local build of the same sources exists. false = push only: push the local image a docker-build of exactly these sources made (build.json with the same content tag), and refuse anything else.
   */
  build?: boolean;
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
   * Repository setting on creation: whether tags can move. IMMUTABLE_WITH_EXCLUSION keeps every tag but those matching imageTagMutabilityExclusionFilters immutable (e.g. content and git-sha tags fixed, latest moving). A push that would move an immutable tag is refused before any build or upload.
   */
  imageTagMutability?: 'MUTABLE' | 'IMMUTABLE' | 'IMMUTABLE_WITH_EXCLUSION' | 'MUTABLE_WITH_EXCLUSION';
  /**
   * ECR's exclusion filters for the *_WITH_EXCLUSION mutabilities: 1 to 5 tag patterns where * is the only wildcard, e.g. ["latest"]. Created with the repository, checked in the drift report.
   */
  imageTagMutabilityExclusionFilters?: string[];
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
   * How long, in all, verification asks DescribeImages again (with exponential backoff) while ECR does not list a pushed tag yet (read-after-write lag), before failing.
   */
  verifyTimeoutSeconds?: number;
  /**
   * After this run moves `latest`: how long to wait before looking once more (at most twice). A pipeline of an older commit that read `latest` before the move may move it back a moment later; then it is moved forward again. 0 skips the wait and the look: only for deliveries that never run at the same time as another one to the same repository, as the generated workflow's (one concurrency group per environment). Keep the default where people or other pipelines push too.
   */
  latestSettleSeconds?: number;
  /**
   * Deadline of each AWS call, its retries included (each attempt also times out after 20 s). A black-holed or unreachable endpoint fails in one line naming the endpoint and the operation.
   */
  awsTimeoutSeconds?: number;
  /**
   * Deadline of each docker push; past it the push is stopped and the run fails (nothing is tagged).
   */
  pushTimeoutMinutes?: number;
  /**
   * Deadline of every short child process (git, docker tag, docker image inspect, probes).
   */
  commandTimeoutSeconds?: number;
  /**
   * Print the plan (repository, tags, skip/retag/promote or would build + push) and change nothing: read-only AWS calls only (STS, Describe*), nothing built, created, logged in to or pushed.
   */
  dryRun?: boolean;
}
