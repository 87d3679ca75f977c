import type { EnvironmentStatus, Release } from '@slipway/core';
import { api } from '../api/endpoints.js';
import { age, dateTime, shortSha } from '../lib/format.js';
import { href } from '../lib/route.js';
import { ActionButton } from './action-button.js';

/** One release: version, commit, what it changed, where it is desired, and a deploy button per environment. */
export function ReleaseRow({ release, environments, now, projectName, onChanged }: {
  release: Release;
  environments: readonly EnvironmentStatus[];
  now: number;
  projectName?: string;
  onChanged: () => void;
}) {
  const serviceCount = Object.keys(release.services).length;
  const liveIn = environments.filter((e) => e.desiredRelease?.id === release.id);
  const deployable = environments.filter((e) => e.desiredRelease?.id !== release.id);
  return (
    <tr data-testid="release-row" data-version={release.version} data-release-id={release.id}>
      <td className="mono">
        <a className="version" href={href({ page: 'release', releaseId: release.id })}>
          v{release.version}
        </a>
      </td>
      {projectName !== undefined && <td>{projectName}</td>}
      <td className="mono">{shortSha(release.commitSha)}</td>
      <td>
        {release.changedServices.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          release.changedServices.map((s) => (
            <span key={s} className="chip">
              {s}
            </span>
          ))
        )}
        <span className="muted small"> of {serviceCount}</span>
      </td>
      <td>
        {liveIn.map((e) => (
          <span key={e.id} className="chip env" title={`desired release of ${e.name}`}>
            {e.name}
          </span>
        ))}
      </td>
      <td className="muted nowrap" title={dateTime(release.createdAt)}>
        {age(release.createdAt, now)}
      </td>
      <td className="actions">
        {deployable.map((e) => (
          <ActionButton
            key={e.id}
            label={`Deploy to ${e.name}`}
            confirm={`Deploy v${release.version} (${shortSha(release.commitSha)}) to ${e.name}?`}
            action={() => api.deploy(e.id, release.id).then(onChanged)}
          />
        ))}
      </td>
    </tr>
  );
}
