import type { EnvironmentStatus, Release } from '@slipway/core';
import { age, shortSha } from '../lib/format.js';
import { useNow } from '../lib/use-now.js';
import { HealthBadge } from './health-badge.js';

export type ServiceState = EnvironmentStatus['services'][number];

/** One service in one environment: health, the live release and commit, its URL and the latest message. */
export function ServiceRow({ service, envName, release }: { service: ServiceState; envName: string; release: Release | undefined }) {
  const commit = release ? (release.services[service.service]?.commitSha ?? release.commitSha) : null;
  const now = useNow(10_000);
  return (
    <tr
      data-testid="service-row"
      data-service={service.service}
      data-env={envName}
      data-health={service.health}
      data-sync={service.sync}
      data-version={service.releaseVersion ?? ''}
    >
      <td className="service-name">{service.service}</td>
      <td>
        <HealthBadge health={service.health} />
        {service.sync === 'out-of-sync' && (
          <span className="sync-flag" title="The live revision differs from the desired release">
            out of sync
          </span>
        )}
      </td>
      <td className="mono nowrap">
        {service.releaseVersion !== null ? <span className="version">v{service.releaseVersion}</span> : <span className="muted">—</span>}
        {commit && <span className="muted"> {shortSha(commit)}</span>}
        <span className="muted small" title={`status since ${service.updatedAt}`}> · {age(service.updatedAt, now)}</span>
      </td>
      <td className="service-url">
        {service.url ? (
          <a href={service.url} target="_blank" rel="noreferrer">
            {service.url.replace(/^https?:\/\//, '')}
          </a>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="service-message" title={service.message ?? undefined}>
        {service.message}
      </td>
    </tr>
  );
}
