// Turns the plain-progress output of a failed `docker buildx build` into a short explanation: step, error, fix.
import { EMULATION_FIX } from './probes';

export interface BuildFailure {
  /** e.g. `#8 [2/3] RUN make` — the step BuildKit was running when it failed. */
  step?: string;
  /** The `ERROR:` lines (and `process "…" did not complete successfully: exit code: N`). */
  errors: string[];
  /** Exit code of the failing RUN command, when BuildKit reported one. */
  stepExitCode?: number;
  /** A known cause with its fix, e.g. missing arm64 emulation. */
  hint?: string;
}

export function summarizeBuildFailure(output: string): BuildFailure {
  const lines = output.split(/\r?\n/);
  const errors = lines.filter((line) => /^(ERROR|error):/.test(line.trim())).map((line) => line.trim());
  const step = failedStep(lines);
  const hint = /exec format error/i.test(output)
    ? `"exec format error": the builder cannot run arm64 binaries, so arm64 emulation is missing: ${EMULATION_FIX}.`
    : undefined;
  const codes = [...output.matchAll(/exit code: (\d+)/g)];
  const stepExitCode = codes.length > 0 ? Number(codes.at(-1)?.[1]) : undefined;
  return { step, errors: errors.slice(-5), stepExitCode, hint };
}

// BuildKit prints `#N ERROR: …` under the failing vertex; its header line `#N [stage x/y] RUN …` names the step.
function failedStep(lines: string[]): string | undefined {
  const failing = [...lines].reverse().find((line) => /^#\d+ ERROR:/.test(line));
  const id = failing?.match(/^#(\d+) /)?.[1];
  const header = id ? lines.find((line) => new RegExp(`^#${id} \\[`).test(line)) : undefined;
  return header ?? [...lines].reverse().find((line) => /^#\d+ \[[^\]]*\] RUN /.test(line));
}
