/** `scheme://userinfo@` — userinfo ends at the last `@` before the path, query or fragment. */
const credentials = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@'"]*(?:@[^\s/?#@'"]*)*@/gi;

/**
 * Removes credentials from a repository URL: `https://user:token@host/repo.git` → `https://***@host/repo.git`.
 * URLs without credentials, local paths and scp-like `git@host:repo` (no secret in it) are returned unchanged.
 */
export function redactUrl(url: string): string {
  return redactText(url);
}

/** Redacts the credentials of every URL inside a text, such as git's stderr or a command line. */
export function redactText(text: string): string {
  return text.replace(credentials, '$1***@');
}
