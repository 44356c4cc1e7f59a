// Placeholders: found with their JSON path, refused when unknown or unset, filled in everywhere.
import { checkPlaceholders, findPlaceholders, renderPlaceholders } from './placeholders';

const doc = { family: '{{projectName}}-{{service}}', containers: [{ image: '{{image}}', env: [{ value: '{{env.TOKEN_ARN}}' }] }], n: 1 };

describe('placeholders', () => {
  it('finds every placeholder with the JSON path of its string', () => {
    expect(findPlaceholders(doc)).toEqual([
      { path: 'family', name: 'projectName' },
      { path: 'family', name: 'service' },
      { path: 'containers[0].image', name: 'image' },
      { path: 'containers[0].env[0].value', name: 'env.TOKEN_ARN' },
    ]);
  });

  it('fills in values and environment variables, and leaves other values alone', () => {
    expect(renderPlaceholders(doc, { projectName: 'shop', service: 'agent', image: 'r@sha256:1' }, { TOKEN_ARN: 'arn:x' })).toEqual({
      family: 'shop-agent',
      containers: [{ image: 'r@sha256:1', env: [{ value: 'arn:x' }] }],
      n: 1,
    });
  });

  it('refuses an unknown name and an unset variable in one line naming the file and path', () => {
    expect(() => checkPlaceholders({ a: ['{{ acount }}'] }, 'f.json', {})).toThrow(
      /^f\.json a\[0\]: unknown placeholder \{\{acount\}\}; use one of \{\{accountId\}\}, /,
    );
    expect(() => checkPlaceholders(doc, 'f.json', {})).toThrow(
      'f.json containers[0].env[0].value: {{env.TOKEN_ARN}} needs the environment variable TOKEN_ARN, which is not set',
    );
    expect(() => checkPlaceholders(doc, 'f.json', { TOKEN_ARN: 'x' })).not.toThrow();
  });
});
