// Two local-ecr instances as two accounts, through the AWS SDK and the AWS CLI: each reports its own account id,
// STS AssumeRole hands out credentials of a role, and an account told to accept only that role refuses every other
// caller the way IAM does (AccessDeniedException naming the action), which is what cross-account tests stand on.
import { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { sh } from '../support/docker';
import { ecrClientFor, stsClientFor, useLocalEcr } from '../support/local-ecr';

const DEV = '111111111111';
const PROD = '222222222222';
const ROLE = `arn:aws:iam::${DEV}:role/ecr-promote-source`;

describe('local-ecr as two accounts', () => {
  const dev = useLocalEcr({ accountId: DEV });
  const prod = useLocalEcr({ accountId: PROD });

  afterEach(async () => dev().access.allowRoles([]));

  /** The role's credentials, from the prod instance's STS (any instance issues the same key for a role). */
  const assumed = async () => {
    const out = await stsClientFor(prod()).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'promote' }));
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('AssumeRole answered no credentials');
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  };

  it('each instance reports its own account in ARNs, registry ids and the caller identity', async () => {
    await ecrClientFor(dev()).send(new CreateRepositoryCommand({ repositoryName: 'team/app' }));
    const repo = (await ecrClientFor(dev()).send(new DescribeRepositoriesCommand({}))).repositories?.[0];
    expect(repo).toMatchObject({ registryId: DEV, repositoryArn: `arn:aws:ecr:${dev().region}:${DEV}:repository/team/app` });
    expect((await stsClientFor(prod()).send(new GetCallerIdentityCommand({}))).Account).toBe(PROD);
    expect(dev().accountId).toBe(DEV);
  });

  it('AssumeRole hands out expiring credentials of the role, and GetCallerIdentity with them names the assumed role', async () => {
    const credentials = await assumed();
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    const sts = new STSClient({ endpoint: prod().endpoint, region: prod().region, credentials });
    expect(await sts.send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: DEV,
      Arn: `arn:aws:sts::${DEV}:assumed-role/ecr-promote-source/promote`,
    });
    expect((await prod().access.issued()).map((i) => i.secretAccessKey)).toContain(credentials.secretAccessKey);
  });

  it('an account that accepts only the role admits its keys and refuses any other caller as IAM would', async () => {
    await dev().access.allowRoles([ROLE]);
    const asRole = new ECRClient({ endpoint: dev().endpoint, region: dev().region, credentials: await assumed() });
    const token = await asRole.send(new GetAuthorizationTokenCommand({}));
    expect(token.authorizationData?.[0]?.proxyEndpoint).toBe(dev().endpoint);
    await expect(ecrClientFor(dev()).send(new DescribeRepositoriesCommand({}))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringMatching(
        /is not authorized to perform: ecr:DescribeRepositories on resource: \* because no resource-based policy/,
      ),
    });
  });

  it('the AWS CLI sees the same: assume-role on one account, describe-repositories on the other, refused without the role', async () => {
    await dev().access.allowRoles([ROLE]);
    const base = { ...process.env, ...prod().env, AWS_PROFILE: undefined, AWS_CONFIG_FILE: '/dev/null' };
    const out = sh('aws', ['sts', 'assume-role', '--role-arn', ROLE, '--role-session-name', 'cli', '--output', 'json'], { env: base });
    expect(out.status).toBe(0);
    const c = (JSON.parse(out.stdout) as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } })
      .Credentials;
    const asRole = {
      ...base,
      AWS_ENDPOINT_URL: dev().endpoint,
      AWS_ACCESS_KEY_ID: c.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: c.SecretAccessKey,
      AWS_SESSION_TOKEN: c.SessionToken,
    };
    expect(sh('aws', ['ecr', 'describe-repositories'], { env: asRole }).status).toBe(0);
    const refused = sh('aws', ['ecr', 'describe-repositories'], { env: { ...base, AWS_ENDPOINT_URL: dev().endpoint } });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/AccessDeniedException.*not authorized to perform: ecr:DescribeRepositories/);
  });
});
