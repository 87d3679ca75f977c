import type { EnvironmentResources, ResourceNode } from '@slipway/core';
import { useState } from 'react';
import { api } from '../api/endpoints.js';
import { touchesKinds, useLiveResource } from '../live/use-live-resource.js';
import { ErrorPanel } from './error-panel.js';
import { HealthBadge } from './health-badge.js';

const resourceTouches = touchesKinds('deployment.', 'health.', 'drift.', 'rollout.');

/** A Resources button that shows, per service, the objects on the environment's target with health and drift (as `slipway resources`). */
export function EnvironmentResourcesToggle({ environmentId }: { environmentId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(!open)} data-testid="resources-toggle" aria-expanded={open}>
        {open ? 'Hide resources' : 'Resources'}
      </button>
      {open && <ResourceTree environmentId={environmentId} />}
    </>
  );
}

/** Kept fresh while open: pods come and go without an event, so it polls as well. */
function ResourceTree({ environmentId }: { environmentId: string }) {
  const { data, error } = useLiveResource(`resources:${environmentId}`, (signal) => api.resources(environmentId, { signal }), { touches: resourceTouches, pollMs: 5000 });
  if (error) return <ErrorPanel error={error} compact />;
  if (!data) return <p className="env-resources small muted">Loading resources…</p>;
  return (
    <div className="env-resources" data-testid="env-resources" data-supported={String(data.supported)}>
      {!data.supported ? (
        <p className="small muted">The {data.target} target has no objects to list.</p>
      ) : data.services.length === 0 ? (
        <p className="small muted">No services here yet.</p>
      ) : (
        data.services.map((s) => <ServiceResources key={s.service} service={s} />)
      )}
    </div>
  );
}

function ServiceResources({ service }: { service: EnvironmentResources['services'][number] }) {
  return (
    <div className="resource-service" data-testid="resource-service" data-service={service.service}>
      <strong className="small">{service.service}</strong>
      {service.resources.length === 0 ? <p className="small muted resource-empty">No objects.</p> : <ResourceList nodes={service.resources} />}
    </div>
  );
}

function ResourceList({ nodes }: { nodes: ResourceNode[] }) {
  return (
    <ul className="resource-tree">
      {nodes.map((n) => (
        <li key={`${n.kind}/${n.name}`} data-testid="resource" data-kind={n.kind} data-name={n.name} data-health={n.health} data-drift={String(n.drift.length > 0)}>
          <div className="resource-row small">
            <span className="mono">
              <span className="muted">{n.kind}/</span>
              {n.name}
            </span>
            <HealthBadge health={n.health} />
            {n.message && <span className="muted resource-message" title={n.message}>{n.message}</span>}
          </div>
          {n.drift.map((d) => (
            <div key={d} className="mono small resource-drift" data-testid="resource-drift">
              drift: {d}
            </div>
          ))}
          {n.children.length > 0 && <ResourceList nodes={n.children} />}
        </li>
      ))}
    </ul>
  );
}
