// A `docker` first on PATH for the Nx runs of the pipeline suite: it records every docker command the executors
// run (subcommand, exit code), and when armed, expires local-ecr's tokens right before the first `docker push`.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { must } from '../support/docker';

export interface DockerCall {
  exitCode: number;
  args: string[];
}

// ecr-push logs in by writing a temporary DOCKER_CONFIG, not with `docker login`, so "between login and push" is
// exactly "before `docker push` starts": the token in that config is valid when written and expired when used.
const SCRIPT = `#!/usr/bin/env bash
# docker shim of the e2e pipeline suite (see docker-shim.ts)
set -uo pipefail
sub=""
for arg in "$@"; do case "$arg" in -*) ;; *) sub="$arg"; break ;; esac; done
if [[ "$sub" == push && -n "\${SHIM_EXPIRE_URL:-}" && ! -e "$SHIM_DIR/expired" ]]; then
  : >"$SHIM_DIR/expired"
  curl -fsS -m 10 -X POST -H "x-local-ecr-secret: $SHIM_ADMIN_SECRET" "$SHIM_EXPIRE_URL" >/dev/null || { echo "docker shim: expiring tokens failed" >&2; exit 97; }
fi
"$SHIM_REAL_DOCKER" "$@"
rc=$?
printf '%s\\t%s\\n' "$rc" "$*" >>"$SHIM_DIR/calls.tsv"
exit "$rc"
`;

export class DockerShim {
  readonly binDir: string;

  constructor(private readonly dir: string) {
    this.binDir = join(dir, 'bin');
    mkdirSync(this.binDir, { recursive: true });
    writeFileSync(join(this.binDir, 'docker'), SCRIPT);
    chmodSync(join(this.binDir, 'docker'), 0o755);
  }

  /** Env for an Nx run: the shim first on PATH; with expireUrl, tokens expire before the first push of this run. */
  env(expireUrl?: string, adminSecret = ''): Record<string, string> {
    rmSync(join(this.dir, 'expired'), { force: true });
    return {
      PATH: `${this.binDir}:${process.env['PATH'] ?? ''}`,
      SHIM_DIR: this.dir,
      SHIM_REAL_DOCKER: must('bash', ['-c', 'command -v docker']).trim(),
      SHIM_EXPIRE_URL: expireUrl ?? '',
      SHIM_ADMIN_SECRET: adminSecret,
    };
  }

  expired(): boolean {
    return existsSync(join(this.dir, 'expired'));
  }

  /** The docker commands run since the last reset. */
  calls(): DockerCall[] {
    const file = join(this.dir, 'calls.tsv');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [code, rest] = line.split('\t');
        return { exitCode: Number(code), args: (rest ?? '').split(' ') };
      });
  }

  /** Calls whose subcommand path starts with `words`, e.g. ['buildx', 'build'] or ['push']. */
  callsOf(...words: string[]): DockerCall[] {
    return this.calls().filter((call) => {
      const plain = call.args.filter((a) => !a.startsWith('-'));
      return words.every((w, i) => plain[i] === w);
    });
  }

  reset(): void {
    rmSync(join(this.dir, 'calls.tsv'), { force: true });
  }
}
