// agentcore-deploy's plan, purely: create, update or leave the runtime, and refuse an update past the version cap.
import type { GetAgentRuntimeCommandOutput } from '@aws-sdk/client-bedrock-agentcore-control';
import type { RuntimeConfig } from '../../lib/deploy/agentcore-runtime';
import { formatRuntimePlan, planRuntime } from './plan';

const IMAGE = 'host/repo@sha256:aa';
const config: RuntimeConfig = {
  agentRuntimeName: 'shop_dev_agent',
  roleArn: 'arn:aws:iam::1:role/r',
  networkConfiguration: { networkMode: 'PUBLIC' },
};
const runtime = (version: string, image = IMAGE): GetAgentRuntimeCommandOutput =>
  ({
    $metadata: {},
    agentRuntimeId: 'id',
    agentRuntimeVersion: version,
    roleArn: 'arn:aws:iam::1:role/r',
    networkConfiguration: { networkMode: 'PUBLIC' },
    agentRuntimeArtifact: { containerConfiguration: { containerUri: image } },
  }) as GetAgentRuntimeCommandOutput;

describe('planRuntime', () => {
  test.each([
    ['no runtime: create', undefined, 'create'],
    ['another image: update', runtime('3', 'host/repo@sha256:bb'), 'update'],
    ['this image and configuration: unchanged', runtime('3'), 'unchanged'],
    ['at the cap but unchanged: unchanged (no version needed)', runtime('1000'), 'unchanged'],
  ])('%s', (_name, current, kind) => {
    expect(planRuntime(current, config, IMAGE, 'shop_dev_agent').kind).toBe(kind);
  });

  it('refuses an update at the cap of 1,000 versions in one line that says what to do', () => {
    expect(() => planRuntime(runtime('1000', 'host/repo@sha256:bb'), config, IMAGE, 'shop_dev_agent')).toThrow(
      /^AgentCore runtime shop_dev_agent has 1000 versions, AgentCore's cap of 1000: an update would fail; delete and recreate/,
    );
  });
});

describe('formatRuntimePlan', () => {
  test.each([
    [undefined, 'would create it'],
    [runtime('3', 'host/repo@sha256:bb'), 'would update it (version 3 → a new version)'],
    [runtime('3'), 'unchanged: version 3 already runs it'],
  ])('%#: %s', (current, line) => {
    expect(formatRuntimePlan(planRuntime(current, config, IMAGE, 'n'), 'n', IMAGE)).toEqual([`image ${IMAGE}`, `runtime n: ${line}`]);
  });
});
