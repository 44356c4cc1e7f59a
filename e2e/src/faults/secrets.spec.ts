// Fault suite, secrets: canaries — a BuildKit secret the Dockerfile reads and AWS_SESSION_TOKEN — are searched for
// everywhere a delivery leaves traces: the task's output, build.json and ecr-push.json, `ps` snapshots taken all
// through the run, `docker history` of the image and a `docker save` tarball of it, and the user's Docker config.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { userDockerConfigDir } from 'nx-agent-ecr/src/lib/ecr/registry-login';
import { buildRecordPath } from 'nx-agent-ecr/src/lib/records/build-record';
import { ecrPushRecordPath } from 'nx-agent-ecr/src/lib/records/ecr-push-record';
import { must } from '../support/docker';
import { busyboxBase } from '../support/toolchain';
import { useEnv } from '../ecr-push/harness';
import { devRepo, PushWorkspace, tagsIn, useFaultSuite } from './fault-harness';

const BUILD_SECRET = `buildkit-canary-${process.pid}-7f3a9c`;
const SESSION_TOKEN = `session-canary-${process.pid}-e41b0d`;

describe('fault suite: secret canaries (real engine, local-ecr)', () => {
  const localEcr = useFaultSuite();

  it('neither the BuildKit secret nor AWS_SESSION_TOKEN appears in logs, records, ps, docker history, docker save or ~/.docker', async () => {
    const ws = new PushWorkspace();
    const restore = useEnv({ FAULT_CANARY_SECRET: BUILD_SECRET, AWS_SESSION_TOKEN: SESSION_TOKEN });
    const saved = mkdtempSync(join(tmpdir(), 'fault-save-'));
    const userConfig = join(userDockerConfigDir(process.env), 'config.json');
    const configBefore = existsSync(userConfig) ? readFileSync(userConfig, 'utf8') : '';
    const snapshots: string[] = [];
    let sampling = true;
    const sample = (async () => {
      while (sampling) {
        snapshots.push(
          await new Promise<string>((resolve) => execFile('ps', ['-eo', 'args='], { maxBuffer: 64 << 20 }, (_e, out) => resolve(out))),
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    try {
      ws.write(
        'apps/agent/Dockerfile',
        `FROM ${busyboxBase}\nCOPY app.txt /app/app.txt\n` +
          // The secret is used (its size lands in the image), so a leak through the build would show.
          'RUN --mount=type=secret,id=canary,required=true wc -c < /run/secrets/canary > /app/secret-size\n',
      );
      ws.commitAll('secret');
      // The registry stalls on the manifest for a moment, so the ps sampling sees the push and its login in flight.
      await localEcr().faults.add({ operation: 'registry:PutManifest', nth: 1, delayMs: 1_500 });
      const run = await ws.push('dev', { buildTargetOptions: { secrets: ['id=canary,env=FAULT_CANARY_SECRET'] } });
      sampling = false;
      await sample;
      expect(run).toMatchObject({ success: true });
      expect(snapshots.length).toBeGreaterThan(5);
      const image = ws.buildRecord().localTags[0] ?? '';
      expect(must('docker', ['run', '--rm', '--platform', 'linux/arm64', image, 'cat', '/app/secret-size']).trim()).toBe(
        String(BUILD_SECRET.length),
      );
      const tarball = join(saved, 'image.tar');
      must('docker', ['save', '-o', tarball, image]);
      const places: Record<string, string | Buffer> = {
        'the task output': run.logs.join('\n'),
        'build.json': readFileSync(buildRecordPath(ws.root, 'apps/agent'), 'utf8'),
        'ecr-push.json': readFileSync(ecrPushRecordPath(ws.root, 'apps/agent'), 'utf8'),
        'ps snapshots': snapshots.join('\n'),
        'docker history': must('docker', ['history', '--no-trunc', '--format', '{{.CreatedBy}} {{.Comment}}', image]),
        'docker image inspect': must('docker', ['image', 'inspect', image]),
        'docker save tarball': readFileSync(tarball),
        '~/.docker/config.json': existsSync(userConfig) ? readFileSync(userConfig, 'utf8') : '',
      };
      const found = Object.entries(places).flatMap(([place, text]) =>
        [BUILD_SECRET, SESSION_TOKEN]
          .filter((canary) => (typeof text === 'string' ? text.includes(canary) : text.includes(Buffer.from(canary))))
          .map((canary) => `${canary} in ${place}`),
      );
      expect(found).toEqual([]);
      // No login of this run reached the user's Docker config.
      expect(existsSync(userConfig) ? readFileSync(userConfig, 'utf8') : '').toBe(configBefore);
      expect((await tagsIn(localEcr(), devRepo(ws)))['latest']).toBe(ws.pushRecord().digest);
    } finally {
      sampling = false;
      restore();
      rmSync(saved, { recursive: true, force: true });
      ws.dispose();
    }
  });
});
