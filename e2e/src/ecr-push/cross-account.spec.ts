// Cross-account promotion with the real engine and two local-ecr instances standing for two accounts: dev
// (111111111111), which accepts only the promotion role, and prod (222222222222), where this run's credentials
// live. `ecr-push -c prod` assumes the dev role (from the option, or from a profile), finds the content there,
// gates on its scan there, and copies it registry to registry — streamed, same digest, nothing built or pushed from
// the engine. Without the role the dev account refuses in one line. No assumed secret reaches any output or file.
// Each case runs alone with -t: its own workspace and repositories.
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EcrPushExecutorSchema } from 'nx-agent-ecr/src/executors/ecr-push/schema';
import { ecrClientFor, useLocalEcr, type LocalEcr } from '../support/local-ecr';
import { PushWorkspace, useEnv, type Run } from './harness';

jest.setTimeout(10 * 60_000);

const DEV = '111111111111';
const PROD = '222222222222';
const ROLE = `arn:aws:iam::${DEV}:role/ecr-promote-source`;

describe('ecr-push -c prod from another account (two local-ecr instances, real engine)', () => {
  const dev = useLocalEcr({ accountId: DEV });
  const prod = useLocalEcr({ accountId: PROD });
  let ws: PushWorkspace;
  let restore: (() => void) | undefined;

  afterEach(async () => {
    restore?.();
    restore = undefined;
    ws.dispose();
    await dev().access.allowRoles([]);
  });

  const devRepo = () => `e2e-dev-${ws.project}`;
  const prodRepo = () => `e2e-prod-${ws.project}`;
  const imagesOf = async (ecr: LocalEcr, repositoryName: string) =>
    (
      (
        await ecrClientFor(ecr)
          .send(new DescribeImagesCommand({ repositoryName }))
          .catch(() => undefined)
      )?.imageDetails ?? []
    ).map((d) => ({
      digest: d.imageDigest,
      tags: [...(d.imageTags ?? [])].sort(),
    }));
  const within = <T>(ecr: LocalEcr, extra: Record<string, string>, body: () => Promise<T>) => {
    restore?.();
    restore = useEnv({ ...ecr.env, ...extra });
    return body();
  };

  /** The service built and pushed into the dev account; then the dev account admits only the promotion role. */
  async function inDevAccount(prodOptions: EcrPushExecutorSchema): Promise<string> {
    ws = new PushWorkspace(
      { projectName: 'e2e' },
      { dev: { environment: 'dev' }, staging: { environment: 'staging' }, prod: { environment: 'prod', ...prodOptions } },
    );
    ws.commitAll('service');
    await within(dev(), {}, async () => {
      expect(await ws.build('dev')).toMatchObject({ success: true });
      expect(await ws.push('dev')).toMatchObject({ success: true });
    });
    const [image] = await imagesOf(dev(), devRepo());
    if (!image?.digest) throw new Error(`${devRepo()} holds no image after the dev push`);
    await dev().access.allowRoles([ROLE]);
    ws.removeLocalImages(); // a fresh prod runner: nothing in the engine to push from
    return image.digest;
  }

  /** Every secret the dev account's STS handed out must be absent from the run's output and the workspace's files. */
  async function expectNoAssumedSecret(...runs: Run[]): Promise<void> {
    const issued = [...(await dev().access.issued()), ...(await prod().access.issued())];
    expect(issued.length).toBeGreaterThan(0);
    const secrets = issued.flatMap((c) => [c.secretAccessKey, c.sessionToken]);
    const texts = [...runs.flatMap((r) => r.logs), ...filesUnder(ws.root), safeRead(join(homedir(), '.docker', 'config.json'))];
    for (const secret of secrets) expect(texts.filter((t) => t.includes(secret))).toEqual([]);
  }

  it('assumes the role from roleArn, gates on the dev scan, copies blob by blob with the same digest, builds nothing', async () => {
    const source = { environment: 'dev', account: DEV, region: dev().region, roleArn: ROLE, endpoint: dev().endpoint };
    let copied = 0;
    const digest = await inDevAccount({ promoteFrom: source });
    await within(prod(), {}, async () => {
      const build = await ws.build('prod');
      expect(build).toMatchObject({ success: true });
      expect(ws.buildRecord()).toMatchObject({ built: false, existing: { digest, foundIn: 'promote-from' } });
      const push = await ws.push('prod');
      expect(push).toMatchObject({ success: true });
      expect(ws.pushRecord()).toMatchObject({ outcome: 'promoted', digest, repositoryName: prodRepo(), scan: { status: 'COMPLETE' } });
      expect(push.logs).toContainEqual(expect.stringMatching(new RegExp(`Scan gate: ${devRepo()}@sha256:\\w+ passed`)));
      // Another registry: nothing can be mounted, every blob (config and layers) is streamed across.
      copied = Number(/Promoted .*: 0 blob\(s\) mounted, 0 present, (\d+) copied \(\d+ bytes\)/.exec(push.logs.join('\n'))?.[1]);
      await expectNoAssumedSecret(build, push);
    });
    const [promoted] = await imagesOf(prod(), prodRepo());
    expect(promoted).toEqual({ digest, tags: expect.arrayContaining(['latest', ws.buildRecord().contentTag]) });
    expect(copied).toBeGreaterThanOrEqual(2);
    expect((await prod().stats()).repositories[prodRepo()]).toMatchObject({ blobUploads: copied });
  });

  it('without the role the dev account refuses: one line naming the IAM action; nothing reaches prod', async () => {
    await inDevAccount({ promoteFrom: { environment: 'dev', account: DEV, endpoint: dev().endpoint } });
    await within(prod(), {}, async () => {
      const push = await ws.push('prod');
      expect(push).toMatchObject({ success: false });
      expect(push.logs.filter((l) => l.startsWith('error:'))).toEqual([
        expect.stringMatching(
          new RegExp(`^error: Access denied: the role needs IAM permission "ecr:DescribeImages" on repository ${devRepo()} `),
        ),
      ]);
    });
    expect(await imagesOf(prod(), prodRepo())).toEqual([]);
  });

  it('takes the role from a profile of the shared config (role_arn + source_profile), assumed by the SDK itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cross-account-aws-'));
    try {
      writeFileSync(join(dir, 'config'), `[profile promote-source]\nrole_arn = ${ROLE}\nsource_profile = ci\nregion = ${dev().region}\n`);
      writeFileSync(join(dir, 'credentials'), '[ci]\naws_access_key_id = AKIACIEXAMPLE\naws_secret_access_key = ci-secret\n');
      const digest = await inDevAccount({
        promoteFrom: { environment: 'dev', account: DEV, profile: 'promote-source', endpoint: dev().endpoint },
      });
      const files = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
      await within(prod(), files, async () => {
        const push = await ws.push('prod');
        expect(push).toMatchObject({ success: true });
        expect(ws.pushRecord()).toMatchObject({ outcome: 'promoted', digest });
        await expectNoAssumedSecret(push);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function filesUnder(root: string): string[] {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (entry === '.git') continue;
      if (statSync(path).isDirectory()) walk(path);
      else texts.push(readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return texts;
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
