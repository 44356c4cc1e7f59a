// Every machine check the build depends on, in the order a user would fix them; returns the facts the argv needs.
import { cacheType, type BuildxFacts } from './buildx-args';
import {
  BuildPreconditionError,
  binfmtRegistered,
  cacheExportProblem,
  ensureBuilder,
  platformProblem,
  probeBuildx,
  probeDocker,
} from './probes';
import type { ProcessRunner } from '../process';

export interface MachineFacts {
  hostArch: string;
  /** Undefined when the host cannot tell (see probes.ts). */
  binfmtRegistered: (arch: string) => boolean | undefined;
}

export const hostFacts: MachineFacts = { hostArch: process.arch, binfmtRegistered: (arch) => binfmtRegistered(arch) };

/** What the probes need to know about the build. */
export interface MachineNeeds {
  platforms: string[];
  builder?: string;
  createBuilder: boolean;
  cacheTo: string[];
  /** Deadline of creating a builder (it may pull BuildKit). */
  createTimeoutMs?: number;
}

export async function probeMachine(run: ProcessRunner, needs: MachineNeeds, machine: MachineFacts = hostFacts): Promise<BuildxFacts> {
  await probeDocker(run);
  const buildxVersion = await probeBuildx(run);
  const builder = await ensureBuilder(run, needs.builder, needs.createBuilder, needs.createTimeoutMs);
  const problem =
    platformProblem(needs.platforms, builder, machine.hostArch, machine.binfmtRegistered) ??
    cacheExportProblem(needs.cacheTo, builder, cacheType);
  if (problem) throw new BuildPreconditionError(problem);
  return { buildxVersion, driver: builder.driver };
}
