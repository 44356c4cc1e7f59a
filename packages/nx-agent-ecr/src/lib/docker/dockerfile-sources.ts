// Reads which build-context paths a Dockerfile takes in: COPY/ADD sources and RUN bind mounts (pure).
import type * as DockerfileAst from 'dockerfile-ast';
import type { Instruction, JSONInstruction } from 'dockerfile-ast';

let parser: typeof DockerfileAst.DockerfileParser | undefined;
/** The parser, loaded on first use: graph inference answers unchanged projects from its cache without it. */
function dockerfileParser() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load; an import would load it with the plugin
  parser ??= (require('dockerfile-ast') as typeof DockerfileAst).DockerfileParser;
  return parser;
}

/** A context-relative source path or glob. `null` path means "could be anything in the context". */
export interface DockerfileSource {
  /** Context-relative, normalised ("" is the whole context), or a glob such as "src/*.py". */
  path: string;
  /** The instruction it came from, for messages, e.g. "COPY" or "RUN --mount". */
  instruction: string;
}

const URL_SOURCE = /^[a-z][a-z0-9+.-]*:\/\//i;
const GIT_SOURCE = /^git@|\.git(#.*)?$/;

/** Normalises a context-relative path the way the builder does: no "./", no leading "/", no trailing "/". */
export function normalizeContextPath(raw: string): string {
  const parts: string[] = [];
  for (const part of raw.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** A variable in a source (COPY ${SRC} .) cannot be resolved statically, so it stands for the whole context. */
function toSource(raw: string, instruction: string): DockerfileSource | undefined {
  if (URL_SOURCE.test(raw) || GIT_SOURCE.test(raw)) return undefined;
  if (raw.includes('$')) return { path: '', instruction };
  return { path: normalizeContextPath(raw), instruction };
}

function copySources(instruction: Instruction, keyword: string): DockerfileSource[] {
  const modifiable = instruction as JSONInstruction;
  const flags = modifiable.getFlags();
  // A stage or image copy (--from=builder, --from=image:tag) reads nothing from the context.
  if (flags.some((flag) => flag.getName() === 'from')) return [];
  const json = modifiable.getJSONStrings().map((arg) => arg.getJSONValue());
  const args = json.length > 0 ? json : modifiable.getArguments().map((arg) => arg.getValue());
  // Here-documents carry their content inline; they read nothing from the context.
  if (args.some((arg) => arg.startsWith('<<'))) return [];
  return args
    .slice(0, -1)
    .map((arg) => toSource(arg, keyword))
    .filter((source): source is DockerfileSource => source !== undefined);
}

/** RUN --mount=type=bind,source=x (without from=) reads x from the context during the build. */
function bindMountSources(instruction: Instruction): DockerfileSource[] {
  const sources: DockerfileSource[] = [];
  for (const flag of (instruction as JSONInstruction).getFlags()) {
    if (flag.getName() !== 'mount') continue;
    const options = new Map<string, string>();
    for (const option of (flag.getValue() ?? '').split(',')) {
      const [key, ...rest] = option.split('=');
      options.set(key.trim(), rest.join('=').trim());
    }
    if ((options.get('type') ?? 'bind') !== 'bind' || options.has('from')) continue;
    const raw = options.get('source') ?? options.get('src') ?? '.';
    const source = toSource(raw, 'RUN --mount');
    if (source) sources.push(source);
  }
  return sources;
}

/** Every context path the Dockerfile reads, in order of appearance, duplicates removed. */
export function dockerfileSources(dockerfileText: string): DockerfileSource[] {
  const seen = new Set<string>();
  const result: DockerfileSource[] = [];
  for (const instruction of dockerfileParser().parse(dockerfileText).getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    const found =
      keyword === 'COPY' || keyword === 'ADD' ? copySources(instruction, keyword) : keyword === 'RUN' ? bindMountSources(instruction) : [];
    for (const source of found) {
      if (seen.has(source.path)) continue;
      seen.add(source.path);
      result.push(source);
    }
  }
  return result;
}
