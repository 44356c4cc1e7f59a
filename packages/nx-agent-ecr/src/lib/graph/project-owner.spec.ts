import { projectOwnerLookup } from './project-owner';

describe('projectOwnerLookup', () => {
  const owner = projectOwnerLookup({ root: '.', lib: 'libs/agent-common', svc: 'apps/svc', nested: 'apps/svc/plugins/p' });
  test.each([
    ['libs/agent-common/agent_common/x.py', 'lib'],
    ['libs/agent-common', 'lib'],
    ['libs/agent-common-two/x.py', undefined],
    ['apps/svc/plugins/p/a.py', 'nested'],
    ['apps/svc/src/a.py', 'svc'],
    ['README.md', undefined],
  ])('%s -> %s', (path, expected) => {
    expect(owner(path)).toBe(expected);
  });
});
