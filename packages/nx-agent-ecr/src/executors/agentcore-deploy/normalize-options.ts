// agentcore-deploy options → NormalizedOptions, refusing bad input in one line before any AWS call: the file
// (missing, not JSON, unknown keys or placeholders), a missing roleArn and a runtime name that cannot map.
import type { ExecutorContext } from '@nx/devkit';
import { checkRuntimeFile, runtimeNameFor } from '../../lib/deploy/agentcore-runtime';
import { DEFAULT_DEPLOY_FILES, readDeployFile, type DeployFile } from '../../lib/deploy/deploy-file';
import { resolveDeployTarget, type DeployTarget } from '../../lib/deploy/deploy-target';
import { checkPlaceholders, findPlaceholders, renderPlaceholders } from '../../lib/deploy/placeholders';
import { UserError } from '../../lib/errors';
import type { AgentcoreDeployExecutorSchema } from './schema';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

export interface NormalizedOptions {
  target: DeployTarget;
  /** The file without agentRuntimeName and with roleArn resolved (option over file). */
  config: DeployFile;
  runtimeName: string;
  endpointName?: string;
}

export function normalizeOptions(
  options: AgentcoreDeployExecutorSchema,
  context: ExecutorContext,
  env: NodeJS.ProcessEnv,
): NormalizedOptions {
  const target = resolveDeployTarget('agentcore-deploy', options, context, env, { timeoutSeconds: 600, pollSeconds: 5 });
  const file = readDeployFile(
    context.root,
    options.config ?? `${target.projectRoot}/${DEFAULT_DEPLOY_FILES.agentCore}`,
    'nx g agent-service writes one for the aws-agent-core template; or set the config option',
  );
  checkRuntimeFile(file.json, file.file);
  const { agentRuntimeName, roleArn: fileRole, ...rest } = file.json;
  const roleArn = options.roleArn || fileRole;
  checkRoleArn(roleArn, options.roleArn ? '--roleArn' : file.file, env);
  const json = { ...rest, roleArn };
  checkPlaceholders(json, file.file, env);

  const { projectName, environment, service } = target.naming;
  const fromFile = typeof agentRuntimeName === 'string' && agentRuntimeName ? agentRuntimeName : undefined;
  if (fromFile) checkPlaceholders(fromFile, `${file.file} agentRuntimeName`, env, ['projectName', 'environment', 'service']);
  const [name, source] = options.runtimeName
    ? [options.runtimeName, 'the runtimeName option']
    : fromFile
      ? [renderPlaceholders(fromFile, { projectName, environment, service }, env), `agentRuntimeName in ${file.file}`]
      : [`${projectName}-${environment}-${service}`, '<projectName>-<environment>-<service>'];
  const runtimeName = runtimeNameFor(name, source);
  return {
    target,
    config: { file: file.file, json },
    runtimeName,
    ...(options.endpointName ? { endpointName: options.endpointName } : {}),
  };
}

/** A missing role is the commonest first-deploy mistake: say where it should come from. */
function checkRoleArn(roleArn: unknown, from: string, env: NodeJS.ProcessEnv): void {
  const fix = "set roleArn in the file or pass --roleArn with the runtime's IAM role (trusted by bedrock-agentcore.amazonaws.com)";
  if (typeof roleArn !== 'string' || !roleArn.trim()) throw new UserError(`No roleArn: ${from} has none; ${fix}.`);
  const variable = findPlaceholders(roleArn)
    .find((p) => p.name.startsWith('env.'))
    ?.name.slice(4);
  if (variable && !env[variable])
    throw new UserError(
      `No roleArn: ${from} takes it from ${variable}, which is not set; export ${variable}=arn:aws:iam::<account>:role/<name>, or ${fix}.`,
    );
  const rendered = renderPlaceholders(roleArn, { accountId: '123456789012' }, env);
  if (findPlaceholders(rendered).length === 0 && !ROLE_ARN.test(rendered))
    throw new UserError(`roleArn "${rendered}" (${from}) is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).`);
}
