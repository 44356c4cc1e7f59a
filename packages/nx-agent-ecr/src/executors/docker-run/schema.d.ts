/* Generated from schema.json by tools/schema-types.mjs. Do not edit by hand: edit schema.json and run `nx run nx-agent-ecr:schema-types`. */

/**
 * Run the built image for its platform (natively, or under QEMU on x86) on an ephemeral loopback port, wait for health with a deadline, and check it against the service's contract: the endpoints and their answers, a non-root user, the image size. Always removes the container; passes or fails in one line naming the broken clause.
 */
export interface DockerRunExecutorSchema {
  /**
   * Image reference to check. Default: the first local tag in the docker-build record (dist/images/<projectRoot>/build.json).
   */
  image?: string;
  /**
   * Platform to run, e.g. linux/arm64. Default: linux/arm64 when the build record lists it, else the record's first platform, else linux/arm64.
   */
  platform?: string;
  /**
   * The contract to check. Default: the project's metadata.contract, which the agent-service generator writes from its template table.
   */
  contract?: {
    /**
     * Container port the service listens on.
     */
    port: number;
    /**
     * GET path that answers 2xx once the service is up.
     */
    healthPath: string;
    /**
     * Endpoints; those with a `check` are exercised.
     */
    endpoints: {
      method: 'GET' | 'POST';
      path: string;
      what: string;
      check?: {
        /**
         * JSON request body (sent with POST).
         */
        body?: {
          [k: string]: unknown | undefined;
        };
        headers?: {
          [k: string]: string | undefined;
        };
        /**
         * Fields the JSON answer must carry (dotted paths), each with its allowed values; [] allows any value.
         */
        fields?: {
          [k: string]: (string | number | boolean)[] | undefined;
        };
      };
    }[];
    /**
     * The largest image the runtime accepts, in MB (10^6 bytes).
     */
    maxImageSizeMB?: number;
  };
  /**
   * Clauses to check. Default: all. platform: the image is built for the platform; user: it does not run as root; size: it is at most the limit; health: the container starts and its health path answers 2xx before the deadline; endpoints: every endpoint with a check answers as the contract says.
   */
  checks?: ('platform' | 'user' | 'size' | 'health' | 'endpoints')[];
  /**
   * Image size limit in MB (10^6 bytes) of the image as the engine stores it (uncompressed, so at least what ECR counts). Default: the contract's (1000 for aws-agent-core: AgentCore Runtime's 1 GB), else no limit.
   */
  maxImageSizeMB?: number;
  /**
   * Plain environment variables for the container, e.g. {"AGENT_BACKEND": "stub"}. Never secrets: names that look like one (SECRET, TOKEN, PASSWORD, ACCESS_KEY, CREDENTIAL) are refused, and no AWS credentials ever reach the container.
   */
  env?: {
    [k: string]: string | undefined;
  };
  /**
   * Deadline for the health path to answer 2xx after the container starts (emulated arm64 starts slowly).
   */
  startTimeoutSeconds?: number;
  /**
   * Deadline of each endpoint request.
   */
  requestTimeoutSeconds?: number;
}
