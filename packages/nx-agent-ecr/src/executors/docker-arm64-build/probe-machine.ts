// Every machine check the build depends on, in the order a user would fix them; returns the facts the argv needs.
import { cacheType, type BuildxFacts } from '../../lib/docker/buildx-args';
import {
  BuildPreconditionError,
  cacheExportProblem,
  ensureBuilder,
  hostFacts,
  platformProblem,
  probeBuildx,
  probeDocker,
  type MachineFacts,
} from '../../lib/docker/probes';
import type { ProcessRunner } from '../../lib/process';
import type { NormalizedOptions } from './normalize-options';

export { hostFacts, type MachineFacts };

export async function probeMachine(
  run: ProcessRunner,
  options: NormalizedOptions,
  machine: MachineFacts = hostFacts,
): Promise<BuildxFacts> {
  await probeDocker(run);
  const buildxVersion = await probeBuildx(run);
  const builder = await ensureBuilder(run, options.builder, options.createBuilder);
  const problem =
    platformProblem(options.platforms, builder, machine.hostArch, machine.binfmtRegistered) ??
    cacheExportProblem(options.cacheTo, builder, cacheType);
  if (problem) throw new BuildPreconditionError(problem);
  return { buildxVersion, driver: builder.driver };
}
