// Every machine check the build depends on, reported in the order a user would fix them; returns the facts the argv
// needs. The machine is read once (three docker commands at once), the checks on that reading are pure.
import { cacheType, type BuildxFacts } from './buildx-args';
import {
  BuildPreconditionError,
  binfmtRegistered,
  cacheExportProblem,
  ensureBuilder,
  inspectBuilder,
  platformProblem,
  probeBuildx,
  probeDocker,
  type BuilderInfo,
} from './probes';
import type { ProcessRunner } from '../process';
import { settled } from '../task/settled';

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

/**
 * What the machine says, read-only: the Docker server's version, buildx's, and the builder (undefined when it does
 * not exist). A machine-wide fact: a run reads it once (the run scope), and may start reading it early.
 */
export interface MachineReading {
  serverVersion: string;
  buildxVersion: string;
  builder?: BuilderInfo;
}

/**
 * The three docker commands at once (each is a CLI start, ~0.1–0.3 s); the failures still reach the user in the order
 * they would fix them: the Docker CLI or daemon, then buildx.
 */
export async function readMachine(run: ProcessRunner, builder?: string): Promise<MachineReading> {
  const server = settled(probeDocker(run));
  const buildx = settled(probeBuildx(run));
  const found = settled(inspectBuilder(run, builder));
  return { serverVersion: await server, buildxVersion: await buildx, builder: await found };
}

/**
 * Every check the build depends on, from `reading` (default: read now): the builder (created when asked and
 * missing), the platforms it can build, the cache it can export. Throws BuildPreconditionError with the fix.
 */
export async function probeMachine(
  run: ProcessRunner,
  needs: MachineNeeds,
  machine: MachineFacts = hostFacts,
  reading: () => Promise<MachineReading> = () => readMachine(run, needs.builder),
): Promise<BuildxFacts> {
  const { buildxVersion, builder: found } = await reading();
  const builder = found ?? (await ensureBuilder(run, needs.builder, needs.createBuilder, needs.createTimeoutMs));
  const problem =
    platformProblem(needs.platforms, builder, machine.hostArch, machine.binfmtRegistered) ??
    cacheExportProblem(needs.cacheTo, builder, cacheType);
  if (problem) throw new BuildPreconditionError(problem);
  return { buildxVersion, driver: builder.driver };
}
