import type { ApiError } from '../api/client.js';

/** Shows an API error the way the server reports it: code, message and the hint with the fix. */
export function ErrorPanel({ error, compact = false }: { error: ApiError; compact?: boolean }) {
  return (
    <div className={compact ? 'error-panel compact' : 'error-panel'} role="alert" data-testid="api-error" data-code={error.code}>
      <code className="error-code">{error.code}</code>
      <span className="error-message">{error.message}</span>
      {error.hint && <div className="error-hint">{withCode(error.hint)}</div>}
    </div>
  );
}

/** Hints quote commands in backticks, as the CLI prints them; show those as code. */
function withCode(text: string) {
  return text.split(/`([^`]+)`/).map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part));
}
