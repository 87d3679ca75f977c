import type { EnvironmentDiff } from '@slipway/core';
import { useState } from 'react';
import { ApiError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import { ErrorPanel } from './error-panel.js';

/** A Diff button that shows, per service, the desired state against what runs, field by field (as `slipway diff`). */
export function EnvironmentDiffToggle({ environmentId }: { environmentId: string }) {
  const [diff, setDiff] = useState<EnvironmentDiff>();
  const [error, setError] = useState<ApiError>();
  const [open, setOpen] = useState(false);
  const toggle = () => {
    if (open) return setOpen(false);
    setOpen(true);
    setError(undefined);
    api.diff(environmentId).then(setDiff, (e: unknown) => setError(e instanceof ApiError ? e : new ApiError(0, 'SLW_INTERNAL', String(e), null)));
  };
  return (
    <>
      <button type="button" className="button" onClick={toggle} data-testid="diff-toggle">
        {open ? 'Hide diff' : 'Diff'}
      </button>
      {open && error && <ErrorPanel error={error} compact />}
      {open && diff && (
        <div className="env-diff" data-testid="env-diff" data-in-sync={String(diff.inSync)}>
          <p className="small">{diff.inSync ? 'In sync: every service runs its desired revision.' : 'Out of sync:'}</p>
          {diff.services
            .filter((s) => s.sync === 'out-of-sync')
            .map((s) => (
              <div key={s.service} className="small" data-testid="diff-service" data-service={s.service}>
                <strong>{s.service}</strong> live {s.live ? `v${s.live.releaseVersion ?? '?'} ${s.live.health}` : 'not running'} → desired {s.desired ? `v${s.desired.releaseVersion}` : 'removed'}
                {s.fields.map((f) => (
                  <div key={f.field} className="mono diff-field">
                    {f.field}: {f.from ?? '(none)'} → {f.to ?? '(none)'}
                  </div>
                ))}
              </div>
            ))}
        </div>
      )}
    </>
  );
}
