// local-ecr: an ECR-compatible endpoint (ECR API, STS GetCallerIdentity, registry API) over a real registry.
export { startLocalEcr, localEcrEnv, defaultStateDir, DEFAULT_PORT, DEFAULT_ACCOUNT_ID } from './lib/local-ecr';
export { serveLocalEcr } from './lib/serve';
export type { LocalEcr, LocalEcrOptions } from './lib/local-ecr';
export type { Stats, RepositoryStats } from './lib/stats';
