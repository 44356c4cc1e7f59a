// local-ecr: an ECR-compatible endpoint (ECR API, STS GetCallerIdentity and AssumeRole, registry API) over a real registry.
export { startLocalEcr, localEcrEnv, defaultStateDir, DEFAULT_PORT, DEFAULT_ACCOUNT_ID } from './lib/local-ecr';
export { serveLocalEcr } from './lib/serve';
export { ADMIN_SECRET_FILE, ADMIN_SECRET_HEADER, readAdminSecret } from './lib/secret-files';
export type { LocalEcr, LocalEcrOptions } from './lib/local-ecr';
export type { AccessApi, AdminApi, FaultsApi, ScansApi } from './lib/admin-client';
export type { IssuedCredentials } from './lib/access';
export { roleKeyId } from './lib/access';
export type { Fault, FaultSpec } from './lib/faults';
export type { Finding, ScanOutcome, ScanSetting, ScanSettingInput, Severity } from './lib/scans';
export type { Stats, RepositoryStats } from './lib/stats';
