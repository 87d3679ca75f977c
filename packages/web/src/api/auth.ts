/**
 * The API token, kept in localStorage, and whether the server asked for one. On loopback the server needs no
 * token; the first 401 makes the dashboard show a token form.
 */
const storageKey = 'slipway.token';

export interface AuthState {
  token: string | null;
  /** True after a request came back 401 with the current token (or without one). */
  required: boolean;
  /** Bumped whenever the token changes, so that data and streams reload with it. */
  version: number;
}

let state: AuthState = { token: readToken(), required: false, version: 0 };
const listeners = new Set<() => void>();

function readToken(): string | null {
  try {
    return localStorage.getItem(storageKey);
  } catch {
    return null; // Storage can be disabled (private mode, sandboxed iframes).
  }
}

function update(next: Partial<AuthState>): void {
  state = { ...state, ...next };
  for (const l of listeners) l();
}

export const auth = {
  get: (): AuthState => state,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  setToken(token: string | null): void {
    try {
      if (token) localStorage.setItem(storageKey, token);
      else localStorage.removeItem(storageKey);
    } catch {
      // Keep the token for this page only.
    }
    update({ token, required: false, version: state.version + 1 });
  },
  markRequired(): void {
    if (!state.required) update({ required: true });
  },
};

/** Adds the token to a URL for EventSource, which cannot send an Authorization header. */
export function withAccessToken(url: string): string {
  const { token } = state;
  if (!token) return url;
  return `${url}${url.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(token)}`;
}
