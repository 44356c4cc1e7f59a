// The service name becomes a folder, an Nx project, a DNS label (hostnames, Kubernetes, AgentCore) and an ECR
// repository component, so it must satisfy all of them at once. Pure: returns the broken rule, or undefined.

const MAX_LENGTH = 63;

/** Returns a one-line explanation of the first rule `name` breaks, or undefined when it is valid. */
export function serviceNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > MAX_LENGTH) return `it is ${name.length} characters long; a DNS label allows at most ${MAX_LENGTH}`;
  const illegal = [...new Set(name.replace(/[a-z0-9-]/g, ''))];
  if (illegal.length > 0) {
    const shown = illegal.map((c) => JSON.stringify(c)).join(', ');
    return /[A-Z]/.test(name)
      ? `ECR repository names and DNS labels are lowercase (found ${shown})`
      : `only lowercase letters, digits and hyphens are allowed in a DNS label (found ${shown})`;
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    return 'a DNS label must start and end with a letter or digit';
  }
  if (name.includes('--')) return 'an ECR repository component cannot contain consecutive separators ("--")';
  return undefined;
}

/** A best-effort valid spelling of `name`, offered in the error message. */
export function suggestServiceName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_LENGTH)
    .replace(/-+$/, '');
  return cleaned || 'my-agent';
}
