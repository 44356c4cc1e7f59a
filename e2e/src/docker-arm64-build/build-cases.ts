// docker-arm64-build against the real engine: arm64 under emulation, args/labels, secrets, failures, content tag.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, must } from '../support/docker';
import { busyboxBase } from '../support/toolchain';
import { PROJECT_ROOT, TempWorkspace, findInSavedImage } from './harness';

const run = `${process.pid}-${Date.now().toString(36)}`;
const inspect = (image: string) =>
  JSON.parse(docker('image', 'inspect', image))[0] as {
    Id: string;
    Architecture: string;
    Config: { Labels: Record<string, string> | null };
  };

/** Registered by docker-arm64-build.spec.ts (one spec file, see there). */
export function buildCases(): void {
  describe('docker-arm64-build on the real engine', () => {
    describe('a plain build with a build arg and a label', () => {
      const ws = new TempWorkspace();
      const imageName = `dab-e2e/plain-${run}`;
      let success = false;

      beforeAll(async () => {
        ws.write(
          `${PROJECT_ROOT}/Dockerfile`,
          `FROM ${busyboxBase}\nARG GREETING\nLABEL greeting=$GREETING\nRUN uname -m > /arch\nCOPY main.txt /main.txt\n`,
        );
        ws.write(`${PROJECT_ROOT}/main.txt`, 'hello\n');
        ({ success } = await ws.build({
          imageName,
          buildArgs: { GREETING: 'hello-arm64' },
          labels: { 'com.example.team': 'agents' },
          noCache: true,
        }));
      });
      afterAll(() => ws.dispose());

      it('succeeds and records the image id that the engine reports for <imageName>:<contentTag>', () => {
        expect(success).toBe(true);
        const record = ws.record();
        expect(record).toMatchObject({ project: 'svc', imageName, built: true, platforms: ['linux/arm64'] });
        expect(record.localTags).toEqual([`${imageName}:${record.contentTag}`, `${imageName}:latest`]);
        expect(inspect(`${imageName}:${record.contentTag}`).Id).toBe(record.imageId);
        expect(inspect(`${imageName}:latest`).Id).toBe(record.imageId);
      });

      it('runs RUN steps as arm64: uname -m gives aarch64', () => {
        expect(inspect(`${imageName}:latest`).Architecture).toBe('arm64');
        expect(docker('run', '--rm', '--platform', 'linux/arm64', `${imageName}:latest`, 'cat', '/arch').trim()).toBe('aarch64');
      });

      it('passes the build arg and the labels, user and default OCI ones, into the image', () => {
        const labels = inspect(`${imageName}:latest`).Config.Labels ?? {};
        expect(labels['greeting']).toBe('hello-arm64');
        expect(labels['com.example.team']).toBe('agents');
        expect(labels['org.opencontainers.image.title']).toBe(imageName);
        expect(new Date(labels['org.opencontainers.image.created'] ?? '').getTime()).toBeGreaterThan(Date.now() - 10 * 60_000);
      });
    });

    describe('secrets', () => {
      const ws = new TempWorkspace();
      const imageName = `dab-e2e/secret-${run}`;
      const fromEnv = `env-secret-${randomBytes(12).toString('hex')}`;
      const fromFile = `file-secret-${randomBytes(12).toString('hex')}`;
      const sha = (text: string) => createHash('sha256').update(text).digest('hex');
      const archive = join(tmpdir(), `dab-e2e-secret-${run}.tar`);
      let success = false;

      beforeAll(async () => {
        process.env['DAB_E2E_TOKEN'] = fromEnv;
        ws.write('secrets/npm-token.txt', fromFile);
        ws.write(
          `${PROJECT_ROOT}/Dockerfile`,
          `FROM ${busyboxBase}\n` +
            'RUN --mount=type=secret,id=token,required=true --mount=type=secret,id=npm,required=true ' +
            'sha256sum /run/secrets/token | cut -d" " -f1 > /token.sha && sha256sum /run/secrets/npm | cut -d" " -f1 > /npm.sha\n',
        );
        ({ success } = await ws.build({
          imageName,
          secrets: ['id=token,env=DAB_E2E_TOKEN', 'id=npm,src=secrets/npm-token.txt'],
          noCache: true,
        }));
        delete process.env['DAB_E2E_TOKEN'];
      });
      afterAll(() => {
        ws.dispose();
        rmSync(archive, { force: true });
      });

      it('makes env and file secrets readable during RUN --mount=type=secret', () => {
        expect(success).toBe(true);
        expect(docker('run', '--rm', '--platform', 'linux/arm64', `${imageName}:latest`, 'cat', '/token.sha').trim()).toBe(sha(fromEnv));
        expect(docker('run', '--rm', '--platform', 'linux/arm64', `${imageName}:latest`, 'cat', '/npm.sha').trim()).toBe(sha(fromFile));
      });

      it('keeps the secrets out of docker history, the image config, the build record and every layer', () => {
        const history = docker('history', '--no-trunc', `${imageName}:latest`);
        expect(history).toContain('sha256sum /run/secrets/token');
        for (const secret of [fromEnv, fromFile]) {
          expect(history).not.toContain(secret);
          expect(docker('image', 'inspect', `${imageName}:latest`)).not.toContain(secret);
          expect(JSON.stringify(ws.record())).not.toContain(secret);
        }
        must('docker', ['save', '-o', archive, `${imageName}:latest`]);
        const saved = readFileSync(archive);
        for (const secret of [fromEnv, fromFile]) {
          const { hits, scanned } = findInSavedImage(saved, secret);
          expect(scanned).toBeGreaterThanOrEqual(2);
          expect(hits).toEqual([]);
        }
        // The scanner does find what is there: the RUN layer holds the hash of the secret.
        expect(findInSavedImage(saved, sha(fromEnv)).hits.length).toBeGreaterThan(0);
      });
    });

    describe('a failing RUN step', () => {
      const ws = new TempWorkspace();
      const imageName = `dab-e2e/fail-${run}`;

      afterAll(() => ws.dispose());

      it('fails the executor, with the exit code and the failing step in the log, and writes no record', async () => {
        ws.write(`${PROJECT_ROOT}/Dockerfile`, `FROM ${busyboxBase}\nRUN echo fine\nRUN echo about-to-fail && exit 7\n`);
        const outcome = await ws.build({ imageName, noCache: true });
        expect(outcome.success).toBe(false);
        const errors = outcome.logs.filter((line) => line.startsWith('error: '));
        expect(errors[0]).toMatch(/^error: docker buildx build for svc failed with exit code 1 at #\d+ \[\d\/\d\] RUN echo about-to-fail /);
        expect(errors[0]).toMatch(/ && exit 7 \(the step exited 7\)\.$/);
        expect(errors.some((line) => /ERROR: .*exit code: 7/.test(line))).toBe(true);
        expect(() => ws.record()).toThrow(/no build record/);
      });
    });

    describe('the content tag', () => {
      const ws = new TempWorkspace();
      const imageName = `dab-e2e/tag-${run}`;

      beforeAll(() => {
        ws.write(`${PROJECT_ROOT}/Dockerfile`, `FROM ${busyboxBase}\nCOPY . /app/\n`);
        ws.write(`${PROJECT_ROOT}/.dockerignore`, 'notes.md\n');
        ws.write(`${PROJECT_ROOT}/app.py`, 'print("v1")\n');
        ws.write(`${PROJECT_ROOT}/notes.md`, 'not part of the image\n');
      });
      afterAll(() => ws.dispose());

      const buildTag = async () => {
        const outcome = await ws.build({ imageName });
        expect(outcome.success).toBe(true);
        const { contentTag } = ws.record();
        expect(inspect(`${imageName}:${contentTag}`).Id).toBe(ws.record().imageId);
        return contentTag;
      };

      it('stays the same after touching timestamps and changing an ignored file, and changes with the source', async () => {
        const first = await buildTag();
        expect(first).toMatch(/^content-[0-9a-f]{24}$/);
        const past = new Date(2001, 0, 1);
        utimesSync(join(ws.root, PROJECT_ROOT, 'app.py'), past, past);
        utimesSync(join(ws.root, PROJECT_ROOT, 'Dockerfile'), past, past);
        expect(await buildTag()).toBe(first);
        ws.write(`${PROJECT_ROOT}/notes.md`, 'edited, still ignored\n');
        expect(await buildTag()).toBe(first);
        ws.write(`${PROJECT_ROOT}/app.py`, 'print("v2")\n');
        const changed = await buildTag();
        expect(changed).not.toBe(first);
        expect(docker('run', '--rm', '--platform', 'linux/arm64', `${imageName}:${changed}`, 'cat', '/app/app.py')).toContain('v2');
        ws.track(`${imageName}:${first}`);
      });
    });
  });
}
