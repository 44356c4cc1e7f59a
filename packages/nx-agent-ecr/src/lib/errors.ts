// An error whose message is the one line a user should see; executors print it and return { success: false }.
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** The message to show for anything thrown: the first line only, so no stack or SDK dump reaches the log. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n').find((line) => line.trim()) ?? text).trim();
}

/** Replaces every known secret in `text` with ***, a last guard for messages that quote other programs' output. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  return secrets.reduce<string>((out, secret) => (secret && secret.length >= 8 ? out.split(secret).join('***') : out), text);
}
