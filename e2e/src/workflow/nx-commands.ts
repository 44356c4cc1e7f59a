// Finds the `nx` invocations in a workflow's run scripts and what targets and configurations they name (pure).

export interface NxCommand {
  /** The command as written, for messages. */
  text: string;
  targets: string[];
  /** Configurations it may run with; a shell variable is resolved to each value the workflow can give it. */
  configurations: string[];
}

const FLAG = /^-/;

function unquote(token: string): string {
  return token.replace(/^["']|["']$/g, '');
}

/** Splits a run script into nx invocations (after `npx nx` or `nx`), with line continuations joined. */
export function nxInvocations(script: string): string[][] {
  const joined = script.replace(/\\\n/g, ' ').replace(/>-?\n/g, ' ');
  const found: string[][] = [];
  for (const match of joined.matchAll(/(?:^|[\s;(&|$])(?:npx\s+)?nx\s+([^\n;&|)]*)/g)) {
    found.push(match[1].trim().split(/\s+/).map(unquote));
  }
  return found;
}

/**
 * Reads targets (-t/--targets/--with-target, or project:target of `nx run`) and configurations (-c/--configuration)
 * from one invocation. `variables` maps a shell variable name to the values it can hold.
 */
export function parseNxCommand(args: string[], variables: Record<string, string[]>): NxCommand {
  const targets: string[] = [];
  const configurations: string[] = [];
  const resolve = (value: string): string[] => {
    const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(value);
    if (!variable) return [value];
    const values = variables[variable[1]];
    if (!values) throw new Error(`nx ${args.join(' ')}: no known values for $${variable[1]}`);
    return values;
  };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    const value = () => (inline !== undefined ? inline : args[++i]);
    if (['-t', '--targets', '--target', '--with-target', '--withTarget'].includes(flag)) {
      targets.push(...value().split(','));
      // -t takes several space-separated targets until the next flag.
      while (inline === undefined && i + 1 < args.length && !FLAG.test(args[i + 1])) targets.push(args[++i]);
    } else if (['-c', '--configuration'].includes(flag)) {
      configurations.push(...resolve(value()));
    } else if (args[0] === 'run' && i === 1) {
      targets.push(args[i].split(':')[1]);
      if (args[i].split(':')[2]) configurations.push(args[i].split(':')[2]);
    }
  }
  return { text: `nx ${args.join(' ')}`, targets: targets.filter((t) => t !== ''), configurations };
}
