// Each base reference resolved to the digest it names for the target platforms, and pinned in the Dockerfile the build
// reads; a digest already written is hashed as written (its platform still checked), and a failed lookup is one line
// with the fix.
import { parseImageRef } from './image-ref';
import { PlatformMismatchError, PlatformMissingError } from './registry-manifests';
import { baseImagesOf, pinDockerfile, PINNED_CHECK_MS, resolveBaseImages, type DigestLookup } from './resolve-bases';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const input = (dockerfileText: string, platforms = ['linux/arm64']) => ({
  dockerfileText,
  dockerfile: 'apps/svc/Dockerfile',
  buildArgs: {},
  platforms,
  hostPlatform: 'linux/amd64',
});

function registry(answers: Record<string, string>) {
  const asked: string[] = [];
  const lookup: DigestLookup = async (ref, platform) => {
    const key = `${ref.registry}/${ref.repository}:${ref.tag} ${platform}`;
    asked.push(key);
    const digest = answers[key];
    if (!digest) throw new Error('the registry has no such image (404)');
    return digest;
  };
  return { lookup, asked };
}

describe('resolveBaseImages', () => {
  it('one platform: the platform manifest is hashed and pinned; the Dockerfile keeps everything else byte for byte', async () => {
    const text = 'ARG BASE_IMAGE=public.ecr.aws/docker/library/python:3.14-slim\nFROM ${BASE_IMAGE} AS build\nRUN true\nFROM build\n';
    const reg = registry({ 'public.ecr.aws/docker/library/python:3.14-slim linux/arm64': d('1') });
    const bases = await resolveBaseImages(input(text), reg.lookup);
    expect(baseImagesOf(bases)).toEqual([
      { ref: 'public.ecr.aws/docker/library/python:3.14-slim', platform: 'linux/arm64', digest: d('1') },
    ]);
    expect(pinDockerfile(text, bases)).toBe(
      `ARG BASE_IMAGE=public.ecr.aws/docker/library/python:3.14-slim\nFROM public.ecr.aws/docker/library/python:3.14-slim@${d('1')} AS build\nRUN true\nFROM build\n`,
    );
  });

  it('several platforms: each platform digest is hashed, and the index that names them is pinned', async () => {
    const reg = registry({
      'docker.io/library/alpine:3 linux/arm64': d('a'),
      'docker.io/library/alpine:3 linux/amd64': d('b'),
      'docker.io/library/alpine:3 any': d('c'),
    });
    const bases = await resolveBaseImages(input('FROM alpine:3\n', ['linux/arm64', 'linux/amd64']), reg.lookup);
    expect(baseImagesOf(bases).map((b) => `${b.platform} ${b.digest}`)).toEqual([`linux/arm64 ${d('a')}`, `linux/amd64 ${d('b')}`]);
    expect(bases[0]?.pinned).toBe(`alpine:3@${d('c')}`);
  });

  it('a base pinned by digest is hashed as written; its platform is read once, and a registry out of reach does not stop it', async () => {
    const reg = registry({});
    const bases = await resolveBaseImages(input(`FROM python:3.12@${d('e')}\n`), reg.lookup);
    expect(reg.asked).toEqual(['docker.io/library/python:3.12 linux/arm64']);
    expect(baseImagesOf(bases)).toEqual([{ ref: `python:3.12@${d('e')}`, platform: 'linux/arm64', digest: d('e') }]);
    expect(bases[0]?.pinned).toBe(`python:3.12@${d('e')}`);
  });

  it('a pinned base whose registry does not answer builds unchecked after PINNED_CHECK_MS', async () => {
    jest.useFakeTimers();
    try {
      const silent: DigestLookup = () => new Promise<string>(() => undefined);
      const resolved = resolveBaseImages(input(`FROM 10.0.0.1/tools/x:1@${d('f')}\n`), silent);
      await jest.advanceTimersByTimeAsync(PINNED_CHECK_MS);
      expect(baseImagesOf(await resolved)).toEqual([{ ref: `10.0.0.1/tools/x:1@${d('f')}`, platform: 'linux/arm64', digest: d('f') }]);
    } finally {
      jest.useRealTimers();
    }
  });

  it.each([
    [
      'one image of another platform',
      new PlatformMismatchError('linux/amd64', 'linux/arm64'),
      'is one linux/amd64 image (not an index), so it cannot be the base of a linux/arm64 build',
    ],
    [
      'an index without the platform',
      new PlatformMissingError('linux/amd64', 'linux/arm64'),
      'has no linux/arm64 image (its index has linux/amd64)',
    ],
  ])('a base pinned by digest to %s is refused in one line with the fix', async (_name, error, says) => {
    const lookup: DigestLookup = async () => {
      throw error;
    };
    await expect(resolveBaseImages(input(`FROM registry.example/tools/amd:1@${d('f')}\n`), lookup)).rejects.toThrow(
      `Base image registry.example/tools/amd:1@${d('f')} (FROM in apps/svc/Dockerfile) ${says}: pin the digest of its linux/arm64 ` +
        `image, or of an index that has one (docker buildx imagetools inspect registry.example/tools/amd:1 lists them).`,
    );
  });

  it('fails in one line naming the image, where it is used, the platform and the fix', async () => {
    await expect(resolveBaseImages(input('FROM 127.0.0.1:5000/base/gone:1\n'), registry({}).lookup)).rejects.toThrow(
      'Base image 127.0.0.1:5000/base/gone:1 (FROM in apps/svc/Dockerfile) could not be resolved for linux/arm64: the registry has no such image (404). ' +
        'Check the reference and that 127.0.0.1:5000 is reachable (docker login 127.0.0.1:5000 if it is private), or pin it by digest (127.0.0.1:5000/base/gone:1@sha256:…): a pinned base builds even when its registry cannot be asked.',
    );
  });

  it('a base that is one image of another platform is refused with the fix that fixes it (pinning it would not)', async () => {
    const amd64Only: DigestLookup = async (_ref, platform) => {
      throw new PlatformMismatchError('linux/amd64', platform);
    };
    await expect(resolveBaseImages(input('FROM registry.example/tools/amd:1\n'), amd64Only)).rejects.toThrow(
      'Base image registry.example/tools/amd:1 (FROM in apps/svc/Dockerfile) is one linux/amd64 image (not an index), so it cannot be ' +
        'the base of a linux/arm64 build: use a tag that is an index with a linux/arm64 image (most official images are), or a linux/arm64 image.',
    );
  });

  it('asks once per image and platform however often it is used', async () => {
    const reg = registry({ 'docker.io/library/python:3 linux/arm64': d('1') });
    const cached = new Map<string, Promise<string>>();
    const lookup: DigestLookup = (ref, platform) => {
      const key = `${ref.repository} ${platform}`;
      if (!cached.has(key)) cached.set(key, reg.lookup(ref, platform));
      return cached.get(key) as Promise<string>;
    };
    await resolveBaseImages(input('FROM python:3 AS a\nFROM python:3\nCOPY --from=a /x /x\n'), lookup);
    expect(reg.asked).toEqual(['docker.io/library/python:3 linux/arm64']);
    expect(parseImageRef('python:3')).toBeDefined();
  });
});
