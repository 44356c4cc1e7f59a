/* Generated from schema.json by tools/schema-types.mjs. Do not edit by hand: edit schema.json and run `nx run nx-agent-ecr:schema-types`. */

/**
 * Build a linux/arm64 (or multi-platform) image with docker buildx, tagged with a content hash; skip the build when ECR already holds that content.
 */
export interface DockerArm64BuildExecutorSchema {
  /**
   * Path of the Dockerfile, relative to the workspace root. Default: <projectRoot>/Dockerfile.
   */
  dockerfile?: string;
  /**
   * Build context, relative to the workspace root; must be inside the workspace. Default: the project root. Use "." (the workspace root) for services that COPY shared libs, with an allow-list <Dockerfile>.dockerignore.
   */
  context?: string;
  /**
   * Target platforms. More than one needs push: true and a builder that supports multi-platform builds (not the default docker driver).
   */
  platforms?: string[];
  /**
   * Local image name (repository), e.g. "langgraph". Default: the project name.
   */
  imageName?: string;
  /**
   * Extra tags. A plain tag ("v1") is applied to imageName; a full reference ("registry/name:tag") is used as is. <imageName>:<contentTag> and <imageName>:latest are always applied.
   */
  tags?: string[];
  /**
   * Build arguments (--build-arg NAME=VALUE). They are part of the content tag: never put secrets here, use secrets.
   */
  buildArgs?: {
    [k: string]: string | undefined;
  };
  /**
   * Target stage of a multi-stage Dockerfile.
   */
  target?: string;
  /**
   * Image labels; merged over the default OCI labels org.opencontainers.image.source, .revision (git sha), .created and .title.
   */
  labels?: {
    [k: string]: string | undefined;
  };
  /**
   * BuildKit secrets, "id=<id>,env=<VAR>" or "id=<id>,src=<file>", readable in RUN --mount=type=secret,id=<id>. Never stored in the image; checked before the build starts.
   */
  secrets?: string[];
  /**
   * Cache sources (--cache-from), any buildx backend, e.g. "type=registry,ref=<ecr-uri>:cache" or "type=local,src=tmp/cache". {projectName} is replaced by the project's name.
   */
  cacheFrom?: string | string[];
  /**
   * Cache exports (--cache-to), any buildx backend. For an ECR registry cache image-manifest=true,oci-mediatypes=true are added. Exporting (other than type=inline) needs a docker-container or remote builder. {projectName} is replaced by the project's name.
   */
  cacheTo?: string | string[];
  /**
   * Name of the buildx builder to use (docker buildx ls), e.g. a remote builder created with `docker buildx create --name arm --driver remote tcp://host:1234`. Default: the current builder.
   */
  builder?: string;
  /**
   * Create the named builder with --driver docker-container --bootstrap when it does not exist; reuse it on later runs.
   */
  createBuilder?: boolean;
  /**
   * Load the image into the local engine (--load). Default: true, except for a multi-platform build that pushes.
   */
  load?: boolean;
  /**
   * Push the tags to their registry (--push).
   */
  push?: boolean;
  /**
   * Always pull newer versions of the base images (--pull).
   */
  pull?: boolean;
  /**
   * Do not use the build cache (--no-cache).
   */
  noCache?: boolean;
  /**
   * Attach a provenance attestation. Off by default: attestations add unknown/unknown manifests that break Lambda and some ECR pushes.
   */
  provenance?: boolean;
  /**
   * Attach an SBOM attestation. Off by default for the same reason as provenance.
   */
  sbom?: boolean;
  /**
   * Deadline of the docker buildx build (and of creating a builder); past it the build is stopped and fails, leaving no build record. ecr-push uses its build target's value.
   */
  buildTimeoutMinutes?: number;
  /**
   * Deadline of every short child process (git, docker version, buildx version/inspect).
   */
  commandTimeoutSeconds?: number;
  /**
   * Print the exact docker command and run nothing (no ECR lookup, no probe, no build, no record). Also in effect when every task of the run that waits for this build is an ecr-push dry run.
   */
  dryRun?: boolean;
}
