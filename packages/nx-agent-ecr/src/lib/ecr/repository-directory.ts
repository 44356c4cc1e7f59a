// Which ECR repositories exist, asked once per repository in a run: a run planner names every repository of the
// run at once (DescribeRepositories, 100 names a call); a task alone asks for its own.
import type { Repository } from '@aws-sdk/client-ecr';
import type { EcrPort } from '../aws/clients';
import { settled } from '../task/settled';
import { describeRepositories } from './repository';

export interface RepositoryDirectory {
  /** The repository as ECR described it in this run, undefined when it does not exist. */
  describe(repositoryName: string): Promise<Repository | undefined>;
  /** Describes every name not asked yet, together; later `describe` calls answer from it. */
  describeAll(repositoryNames: string[]): Promise<void>;
}

export function repositoryDirectory(ecr: EcrPort): RepositoryDirectory {
  const known = new Map<string, Promise<Repository | undefined>>();
  const describeAll = async (names: string[]) => {
    const asked = [...new Set(names)].filter((name) => !known.has(name));
    if (asked.length === 0) return;
    const found = describeRepositories(ecr, asked);
    for (const name of asked) known.set(name, settled(found.then((repositories) => repositories.get(name))));
    await found;
  };
  return {
    describeAll,
    describe(repositoryName) {
      // A failure reaches the caller through the entry; the batch's own promise needs no handler of its own.
      if (!known.has(repositoryName)) describeAll([repositoryName]).catch(() => undefined);
      return known.get(repositoryName) as Promise<Repository | undefined>;
    },
  };
}
