// The order tags move in (pure): the content tag first (the image's identity), then the tags that name one commit
// (the git sha), then the others, and `latest` last — so a failure part-way can never leave `latest` on an image
// whose git-sha tag is missing.

export const LATEST = 'latest';

export function deliveryOrder(tags: string[], contentTag: string, gitSha?: string): string[] {
  const pinned = (tag: string) => tag === contentTag || (gitSha !== undefined && tag.includes(gitSha));
  const rank = (tag: string) => (tag === contentTag ? 0 : pinned(tag) ? 1 : tag === LATEST ? 3 : 2);
  return [...new Set(tags)]
    .map((tag, index) => ({ tag, index }))
    .sort((a, b) => rank(a.tag) - rank(b.tag) || a.index - b.index)
    .map((t) => t.tag);
}
