import { useState } from 'react';
import { ApiError } from '../api/client.js';
import { ErrorPanel } from './error-panel.js';

/** A button for an action (rollback, deploy, verify): asks to confirm a write, shows progress, and shows the API error if any. */
export function ActionButton({ label, confirm, action, testId }: { label: string; confirm?: string; action: () => Promise<unknown>; testId?: string }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError>();
  const click = () => {
    if (confirm !== undefined && !window.confirm(confirm)) return;
    setPending(true);
    setError(undefined);
    action()
      .catch((e: unknown) => setError(e instanceof ApiError ? e : new ApiError(0, 'SLW_INTERNAL', String(e), null)))
      .finally(() => setPending(false));
  };
  return (
    <span className="action">
      <button type="button" className="button" onClick={click} disabled={pending} data-testid={testId}>
        {pending ? `${label}…` : label}
      </button>
      {error && <ErrorPanel error={error} compact />}
    </span>
  );
}
