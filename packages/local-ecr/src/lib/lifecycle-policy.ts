// ECR lifecycle policies: stored and validated like ECR does on Put, but not evaluated (see the README).
import { EcrError, invalidParameter } from './errors';
import { type ServerContext, persist } from './context';
import { type Input, requiredString } from './input';
import { repositoryOrThrow, seconds } from './ecr-repositories';

const failure = (reason: string) =>
  invalidParameter(
    `Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ${reason}'`,
  );

/** The reason a lifecycle policy document is refused, or undefined when it has ECR's shape. */
export function lifecyclePolicyProblem(text: string): string | undefined {
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    return 'the policy is not valid JSON';
  }
  const rules = (policy as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules) || rules.length === 0) return 'object has missing required properties (["rules"])';
  const priorities = new Set<number>();
  for (const rule of rules as Record<string, unknown>[]) {
    const priority = rule['rulePriority'];
    if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 1) return 'rulePriority must be a positive integer';
    if (priorities.has(priority)) return `rulePriority ${priority} is used by more than one rule`;
    priorities.add(priority);
    const selection = rule['selection'] as Record<string, unknown> | undefined;
    if (!selection || !['tagged', 'untagged', 'any'].includes(String(selection['tagStatus'])))
      return 'selection.tagStatus must be tagged, untagged or any';
    if (!['imageCountMoreThan', 'sinceImagePushed'].includes(String(selection['countType'])))
      return 'selection.countType must be imageCountMoreThan or sinceImagePushed';
    if (typeof selection['countNumber'] !== 'number' || selection['countNumber'] < 1)
      return 'selection.countNumber must be a positive number';
    const action = rule['action'] as Record<string, unknown> | undefined;
    if (action?.['type'] !== 'expire') return 'action.type must be expire';
  }
  return undefined;
}

export async function putLifecyclePolicy(context: ServerContext, input: Input) {
  const repository = repositoryOrThrow(context, input);
  const text = requiredString(input, 'lifecyclePolicyText');
  const problem = lifecyclePolicyProblem(text);
  if (problem) throw failure(problem);
  repository.lifecyclePolicyText = text;
  await persist(context);
  return { registryId: context.accountId, repositoryName: repository.name, lifecyclePolicyText: text };
}

export function getLifecyclePolicy(context: ServerContext, input: Input) {
  const repository = repositoryOrThrow(context, input);
  if (repository.lifecyclePolicyText === undefined) {
    throw new EcrError(
      'LifecyclePolicyNotFoundException',
      `Lifecycle policy does not exist for the repository with name '${repository.name}' in the registry with id '${context.accountId}'`,
    );
  }
  return {
    registryId: context.accountId,
    repositoryName: repository.name,
    lifecyclePolicyText: repository.lifecyclePolicyText,
    lastEvaluatedAt: seconds(0),
  };
}
