// The service-name rule: a DNS label and an ECR repository component at once.
import { serviceNameProblem, suggestServiceName } from './service-name';

describe('serviceNameProblem', () => {
  it.each(['a', 'langgraph', 'aws-agent-core', 'agent2', '9lives', 'x'.repeat(63)])('accepts %s', (name) => {
    expect(serviceNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['', /empty/],
    ['x'.repeat(64), /64 characters long; a DNS label allows at most 63/],
    ['MyAgent', /lowercase \(found "M", "A"\)/],
    ['my_agent', /only lowercase letters, digits and hyphens .*found "_"/],
    ['my.agent', /found "\."/],
    ['team/agent', /found "\/"/],
    ['-agent', /start and end with a letter or digit/],
    ['agent-', /start and end with a letter or digit/],
    ['my--agent', /consecutive separators/],
  ])('refuses %j naming the rule it breaks', (name, rule) => {
    expect(serviceNameProblem(name)).toMatch(rule);
  });
});

describe('suggestServiceName', () => {
  it.each([
    ['My_Agent', 'my-agent'],
    ['--x--', 'x'],
    ['__', 'my-agent'],
    ['a'.repeat(70), 'a'.repeat(63)],
  ])('turns %j into the valid %j', (name, suggestion) => {
    const suggested = suggestServiceName(name);
    expect(suggested).toBe(suggestion);
    expect(serviceNameProblem(suggested)).toBeUndefined();
  });
});
