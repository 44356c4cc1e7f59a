// The images a Dockerfile builds on (pure): every FROM, COPY --from and RUN --mount from= that names an image rather
// than a stage, in the stages the build target reaches, with ARG defaults, build args and the platform ARGs
// expanded — as BuildKit reads them. The content tag hashes what they resolve to; the build pins exactly that.
import { DockerfileParser, type Flag, type Instruction } from 'dockerfile-ast';
import { UserError } from '../errors';
import { parseImageRef } from './image-ref';

export interface TextRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface BaseReference {
  /** As the Dockerfile writes it, e.g. `${BASE_IMAGE}`. */
  written: string;
  /** The image it names for this build, variables expanded. */
  ref: string;
  /** `target`: the image for the platform being built; `any`: a stage with its own --platform, pinned as a whole. */
  platform: 'target' | 'any';
  /** Where the reference is written, to pin it there. */
  range: TextRange;
  instruction: 'FROM' | 'COPY --from' | 'RUN --mount from';
}

export interface BaseReferenceInput {
  dockerfileText: string;
  /** For messages. */
  dockerfile: string;
  buildArgs: Record<string, string>;
  target?: string;
  platforms: string[];
  /** e.g. linux/amd64: what BUILDPLATFORM names. */
  hostPlatform: string;
}

interface Stage {
  name?: string;
  from: Instruction;
  instructions: Instruction[];
}

/** The external images the build reads; one entry per place a reference is written. */
export function baseReferences(input: BaseReferenceInput): BaseReference[] {
  const dockerfile = DockerfileParser.parse(input.dockerfileText);
  const stages = splitStages(dockerfile.getInstructions());
  if (stages.length === 0) return [];
  const globals = new Map<string, string>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    if (!property) continue;
    const name = property.getName();
    globals.set(name, input.buildArgs[name] ?? expand(property.getValue() ?? '', globals));
  }
  const names = stages.map((stage) => stage.name?.toLowerCase());
  const isStage = (text: string, before: number) => /^\d+$/.test(text) || names.slice(0, before).includes(text.toLowerCase());
  const found: BaseReference[] = [];
  for (const index of reachable(stages, names, input.target, input.dockerfile)) {
    const stage = stages[index] as Stage;
    const fromArg = stage.from.getArguments()[0];
    const platformFlag = (stage.from as Instruction & { getPlatformFlag(): Flag | null }).getPlatformFlag();
    const platform = platformFlag ? 'any' : 'target';
    const add = (range: TextRange, instruction: BaseReference['instruction'], stagesBefore: number) => {
      const written = text(input.dockerfileText, range);
      const ref = expandFor(written, globals, input, instruction);
      if (ref.toLowerCase() === 'scratch' || isStage(ref, stagesBefore)) return;
      if (!parseImageRef(ref)) {
        throw new UserError(
          `${instruction} ${written} in ${input.dockerfile} expands to "${ref}", which is no image reference: set the build arg it uses.`,
        );
      }
      found.push({ written, ref, platform, range, instruction });
    };
    if (fromArg) add(fromArg.getRange(), 'FROM', index);
    for (const instruction of stage.instructions) {
      for (const [, range, kind] of stageReads(instruction)) add(range, kind, index + 1);
    }
  }
  return found;
}

function splitStages(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.getKeyword().toUpperCase() === 'FROM') {
      const args = instruction.getArguments();
      const named = args.length >= 3 && args[1]?.getValue().toUpperCase() === 'AS' ? args[2]?.getValue() : undefined;
      stages.push({ name: named, from: instruction, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** COPY --from=X and RUN --mount=…,from=X: a stage, a stage index, or an image. */
function stageReads(instruction: Instruction): [string, TextRange, 'COPY --from' | 'RUN --mount from'][] {
  const keyword = instruction.getKeyword().toUpperCase();
  const flags = (instruction as Instruction & { getFlags?(): Flag[] }).getFlags?.() ?? [];
  if (keyword === 'COPY' || keyword === 'ADD') {
    return flags
      .filter((f) => f.getName() === 'from' && f.getValueRange())
      .map((f) => [f.getValue() ?? '', f.getValueRange() as TextRange, 'COPY --from']);
  }
  if (keyword !== 'RUN') return [];
  return flags
    .filter((f) => f.getName() === 'mount')
    .flatMap((f) => f.getOptions().filter((o) => o.getName() === 'from' && o.getValueRange()))
    .map((o) => [o.getValue() ?? '', o.getValueRange() as TextRange, 'RUN --mount from']);
}

/** The stages the target (or the last stage) needs, through FROM <stage>, COPY --from and RUN --mount from. */
function reachable(stages: Stage[], names: (string | undefined)[], target: string | undefined, dockerfile: string): number[] {
  const start = target === undefined ? stages.length - 1 : names.indexOf(target.toLowerCase());
  if (start < 0) throw new UserError(`target "${target}" is no stage of ${dockerfile}: name one of its FROM … AS <stage> names.`);
  const seen = new Set<number>();
  const visit = (index: number) => {
    if (seen.has(index)) return;
    seen.add(index);
    const stage = stages[index] as Stage;
    const refs = [
      stage.from.getArguments()[0]?.getValue() ?? '',
      ...stage.instructions.flatMap((i) => stageReads(i).map(([value]) => value)),
    ];
    for (const ref of refs) {
      const at = /^\d+$/.test(ref) ? Number(ref) : names.indexOf(ref.toLowerCase());
      if (at >= 0 && at < index) visit(at);
    }
  };
  visit(start);
  return [...seen].sort((a, b) => a - b);
}

function text(source: string, range: TextRange): string {
  const lines = source.split('\n');
  if (range.start.line === range.end.line) return (lines[range.start.line] ?? '').slice(range.start.character, range.end.character);
  return [
    (lines[range.start.line] ?? '').slice(range.start.character),
    ...lines.slice(range.start.line + 1, range.end.line),
    (lines[range.end.line] ?? '').slice(0, range.end.character),
  ].join('\n');
}

/** The reference for every platform of the build; one image must serve them all (it is pinned in one place). */
function expandFor(written: string, globals: Map<string, string>, input: BaseReferenceInput, kind: string): string {
  const refs = new Set(
    input.platforms.map((platform) => expand(written, new Map([...globals, ...platformArgs(platform, input.hostPlatform)]))),
  );
  const [ref = ''] = refs;
  if (refs.size > 1) {
    throw new UserError(
      `${kind} ${written} in ${input.dockerfile} names a different image per platform (${[...refs].join(', ')}): ` +
        `build one platform per target, or write one image (an index) for all.`,
    );
  }
  return ref;
}

/** BuildKit's automatic platform ARGs, which FROM lines may use. */
function platformArgs(platform: string, hostPlatform: string): [string, string][] {
  const args = (prefix: string, value: string): [string, string][] => {
    const [os = '', arch = '', variant = ''] = value.split('/');
    return [
      [`${prefix}PLATFORM`, value],
      [`${prefix}OS`, os],
      [`${prefix}ARCH`, arch],
      [`${prefix}VARIANT`, variant],
    ];
  };
  return [...args('TARGET', platform), ...args('BUILD', hostPlatform)];
}

/** Shell-style expansion as the Dockerfile frontend does it: $X, ${X}, ${X:-word}, ${X:+word}, ${X-word}, ${X+word}. */
export function expand(value: string, vars: Map<string, string>): string {
  return value.replace(
    /\$(?:\{(\w+)(?:(:?[-+])([^}]*))?\}|(\w+))/g,
    (_match, braced?: string, op?: string, word?: string, bare?: string) => {
      const name = (braced ?? bare) as string;
      const set = vars.has(name);
      const current = vars.get(name) ?? '';
      if (op === ':-') return current !== '' ? current : expand(word ?? '', vars);
      if (op === '-') return set ? current : expand(word ?? '', vars);
      if (op === ':+') return current !== '' ? expand(word ?? '', vars) : '';
      if (op === '+') return set ? expand(word ?? '', vars) : '';
      return current;
    },
  );
}
