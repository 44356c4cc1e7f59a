#!/usr/bin/env node
// A throw-away copy of this workspace (its git-visible files, a commit, node_modules linked) for the quick start's
// offline sample and the end-to-end suite, so neither ever writes into the developer's checkout.
//
//   node tools/lib/scratch-workspace.mjs <dest>                  (re)creates <dest>, commits, prints its path
//   node tools/lib/scratch-workspace.mjs commit <dir> <message>  commits every change (fixed identity and date)
//
// Library use: import { createScratchWorkspace } from './scratch-workspace.mjs'.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import console from 'node:console';
import process from 'node:process';

const here = dirname(fileURLToPath(import.meta.url));
export const defaultSource = resolve(here, '..', '..');

// A fixed identity and date make the scratch commit's sha depend only on the files, so a re-created copy of an
// unchanged workspace gets the same git sha tag and a second run has nothing to push.
const gitEnv = {
  GIT_AUTHOR_NAME: 'scratch-workspace',
  GIT_AUTHOR_EMAIL: 'scratch@nx-agent-ecr.invalid',
  GIT_COMMITTER_NAME: 'scratch-workspace',
  GIT_COMMITTER_EMAIL: 'scratch@nx-agent-ecr.invalid',
  GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z',
};

export function git(cwd, args, env = {}) {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...gitEnv, ...env },
  });
}

/** The files git would see in the source: tracked plus untracked-but-not-ignored, minus deleted ones. */
export function workspaceFiles(source) {
  const out = git(source, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  return [...new Set(out.split('\0').filter(Boolean))].filter((f) => {
    const st = lstatSync(join(source, f), { throwIfNoEntry: false });
    return st !== undefined && (st.isFile() || st.isSymbolicLink());
  });
}

const LINKED_MARKER = '.linked-from';

// The root node_modules becomes a directory of links to the source's entries, except the npm-workspace links
// (node_modules/<pkg> -> ../packages/<pkg>), which point at the copy so Nx runs the copy's plugin.
function linkNodeModules(source, dest) {
  const from = join(source, 'node_modules');
  if (!existsSync(from)) {
    throw new Error(`no node_modules in ${source}: run 'npm ci' there first`);
  }
  const to = join(dest, 'node_modules');
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const src = join(from, entry);
    const st = lstatSync(src);
    const link = st.isSymbolicLink() ? readlinkSync(src) : '';
    if (link && !link.startsWith('/') && resolve(from, link).startsWith(join(source, 'packages') + '/')) {
      symlinkSync(link, join(to, entry));
    } else {
      symlinkSync(src, join(to, entry));
    }
  }
  // tools/lib/node-deps.sh reads this marker: an install here would empty the source's node_modules through the links.
  writeFileSync(join(to, LINKED_MARKER), `${from}\n`);
  // Workspace packages may hold their own nested node_modules (versions hoisting could not share).
  const packages = join(source, 'packages');
  for (const pkg of existsSync(packages) ? readdirSync(packages) : []) {
    const nested = join(packages, pkg, 'node_modules');
    if (existsSync(nested) && existsSync(join(dest, 'packages', pkg))) {
      symlinkSync(nested, join(dest, 'packages', pkg, 'node_modules'));
    }
  }
}

const PLUGIN = join('packages', 'nx-agent-ecr');

// Nx runs the plugin compiled (packages/nx-agent-ecr/dist, not git-visible). An up-to-date dist of the source is
// copied: its manifest matches the copied sources (same sizes, mtimes kept), so the copy's compile transpiles nothing.
function compilePlugin(source, dest) {
  const compiler = join(dest, PLUGIN, 'scripts', 'compile.cjs');
  if (!existsSync(compiler)) return;
  const { compile, isFresh } = createRequire(import.meta.url)(compiler);
  if (isFresh(join(source, PLUGIN))) cpSync(join(source, PLUGIN, 'dist'), join(dest, PLUGIN, 'dist'), { recursive: true });
  compile(join(dest, PLUGIN));
}

/**
 * Copies the workspace at `source` into `dest` (which must not exist or is replaced when `replace`), links
 * node_modules, and commits everything on branch main. Returns `dest`.
 */
export function createScratchWorkspace({ dest, source = defaultSource, replace = false }) {
  dest = resolve(dest);
  if (existsSync(dest)) {
    if (!replace) throw new Error(`scratch workspace ${dest} already exists`);
    rmSync(dest, { recursive: true, force: true });
  }
  const rel = relative(source, dest);
  const inside = rel !== '' && !rel.startsWith('..');
  for (const file of workspaceFiles(source)) {
    if (inside && (file === rel || file.startsWith(rel + '/'))) continue;
    const target = join(dest, file);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(source, file), target);
    // Keep mtimes, so "is package-lock.json newer than node_modules?" answers as it does in the source.
    const { atime, mtime } = statSync(join(source, file));
    utimesSync(target, atime, mtime);
  }
  linkNodeModules(source, dest);
  compilePlugin(source, dest);
  git(dest, ['init', '-q']);
  git(dest, ['add', '-A']);
  git(dest, ['commit', '-q', '-m', 'scratch copy of the workspace']);
  return dest;
}

/** Commits every change in the scratch workspace; returns the new HEAD sha. */
export function commitAll(dest, message) {
  git(dest, ['add', '-A']);
  git(dest, ['commit', '-q', '--allow-empty', '-m', message]);
  return git(dest, ['rev-parse', 'HEAD']).trim();
}

const USAGE = 'usage: node tools/lib/scratch-workspace.mjs <dest-dir> | commit <dir> <message>';

function main(argv) {
  if (argv[0] === 'commit') {
    if (!argv[1] || !argv[2]) throw new Error(USAGE);
    return commitAll(resolve(argv[1]), argv[2]);
  }
  if (!argv[0] || argv.length > 1) throw new Error(USAGE);
  return createScratchWorkspace({ dest: argv[0], replace: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(main(process.argv.slice(2)));
  } catch (error) {
    console.error(`scratch workspace: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof Error && error.message === USAGE ? 2 : 1);
  }
}
