import { useState, type FormEvent } from 'react';
import { auth } from '../api/auth.js';

/** Asks for an API token after the server answered 401; the token stays in localStorage. */
export function TokenForm({ hadToken }: { hadToken: boolean }) {
  const [value, setValue] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim()) auth.setToken(value.trim());
  };
  return (
    <form className="token-form" onSubmit={submit} data-testid="token-form">
      <strong>{hadToken ? 'The saved API token was refused.' : 'This server needs an API token.'}</strong>
      <span className="muted">Create one with <code>slipway tokens create</code>.</span>
      <input type="password" autoComplete="off" placeholder="API token" value={value} onChange={(e) => setValue(e.target.value)} aria-label="API token" />
      <button type="submit" className="button primary" disabled={!value.trim()}>
        Save token
      </button>
    </form>
  );
}
