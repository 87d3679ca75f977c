/** Settings every adapter takes. */
export interface GitHostOptions {
  /** Per HTTP call. Default 10 s: a slow host must not hold feedback up for long. */
  timeoutMs?: number;
}

export const defaultTimeoutMs = 10_000;

/** GitHub refuses descriptions over 140 characters with a 422; the same bound suits every host's status line. */
export function shortDescription(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= 140 ? line : `${line.slice(0, 139)}…`;
}

/** `owner/repo` as two encoded path segments. */
export function repoPath(repository: string): string {
  return repository.split('/').map(encodeURIComponent).join('/');
}

export const trimBase = (apiUrl: string): string => apiUrl.replace(/\/+$/, '');
