// ECR account settings (GetAccountSetting/PutAccountSetting); BLOB_MOUNTING decides cross-repository mounts.
import { type ServerContext, persist } from './context';
import { invalidParameter } from './errors';
import { type Input, requiredString } from './input';

/** ECR's settings, their accepted values and their defaults (the first value). */
const SETTINGS = new Map<string, readonly string[]>([
  ['BLOB_MOUNTING', ['DISABLED', 'ENABLED']],
  ['BASIC_SCAN_TYPE_VERSION', ['AWS_NATIVE', 'CLAIR']],
  ['REGISTRY_POLICY_SCOPE', ['V2', 'V1']],
]);

function settingName(input: Input): string {
  const name = requiredString(input, 'name');
  if (!SETTINGS.has(name)) {
    throw invalidParameter(
      `Invalid parameter at 'name' failed to satisfy constraint: 'Member must satisfy enum value set: [${[...SETTINGS.keys()].join(', ')}]'`,
    );
  }
  return name;
}

export function accountSetting(context: ServerContext, name: string): string {
  return context.state.accountSettings.get(name) ?? SETTINGS.get(name)?.[0] ?? '';
}

/** Whether blobs may be mounted across repositories: off unless BLOB_MOUNTING is ENABLED, as in ECR. */
export const blobMountingEnabled = (context: ServerContext) => accountSetting(context, 'BLOB_MOUNTING') === 'ENABLED';

export function getAccountSetting(context: ServerContext, input: Input) {
  const name = settingName(input);
  return { name, value: accountSetting(context, name) };
}

export async function putAccountSetting(context: ServerContext, input: Input) {
  const name = settingName(input);
  const value = requiredString(input, 'value');
  const accepted = SETTINGS.get(name) ?? [];
  if (!accepted.includes(value)) {
    throw invalidParameter(`Invalid value '${value}' for account setting ${name}: use one of ${accepted.join(', ')}.`);
  }
  context.state.accountSettings.set(name, value);
  await persist(context);
  return { name, value };
}
