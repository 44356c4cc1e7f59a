// Words for a command line a user may paste into a shell (logs, dry runs, generated targets): never executed here.

/** `word` as it is when it holds only characters no shell treats specially, else single-quoted. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
