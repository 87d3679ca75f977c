import type { EnvironmentStatus, Release } from '@slipway/core';
import { api } from '../api/endpoints.js';
import { shortSha } from '../lib/format.js';
import { href } from '../lib/route.js';
import { ActionButton } from './action-button.js';
import { EnvironmentDiffToggle } from './environment-diff.js';
import { EnvironmentResourcesToggle } from './environment-resources.js';
import { HealthBadge } from './health-badge.js';
import { ServiceRow } from './service-row.js';

/** One environment: its health, desired release, hold, the promotions waiting on their gates, and a row per service. */
export function EnvironmentCard({ env, previous, releases, onChanged }: { env: EnvironmentStatus; previous?: EnvironmentStatus; releases: ReadonlyMap<string, Release>; onChanged: () => void }) {
  // The release healthy in the environment before, when it is newer than this one's: what promoting by hand brings.
  const offer = previous?.desiredRelease && previous.health === 'healthy' && (env.desiredRelease?.version ?? 0) < previous.desiredRelease.version ? previous.desiredRelease : undefined;
  // Only targets made of objects have a resource tree.
  const hasResources = env.target === 'kubernetes' && env.services.length > 0;
  return (
    <section className="panel env-card" data-testid="environment" data-env={env.name} data-health={env.health}>
      <header className="panel-head">
        <h3>{env.name}</h3>
        <HealthBadge health={env.health} />
        <span className="muted small">{env.target}</span>
        <span className="spacer" />
        {env.desiredRelease ? (
          <span className="small" title="The release this environment is driven towards">
            desired <span className="version mono">v{env.desiredRelease.version}</span> <span className="mono muted">{shortSha(env.desiredRelease.commitSha)}</span>
          </span>
        ) : (
          <span className="muted small">no release yet</span>
        )}
        {env.sync === 'out-of-sync' && <span className="sync-flag">out of sync</span>}
      </header>
      {env.hold && (
        <div className="hold-banner" role="status" data-testid="env-hold">
          <strong>Auto-promotion held.</strong> {env.hold}
        </div>
      )}
      {env.waiting.map((w) => (
        <div key={w.promotionId} className="waiting-banner" role="status" data-testid="env-waiting" data-promotion={w.promotionId}>
          <a href={href({ page: 'promotion', promotionId: w.promotionId })}>
            <strong>
              v{w.version} {w.kind === 'rollback' ? 'rollback ' : ''}waits:
            </strong>
          </a>{' '}
          {w.waitingOn.map((g) => g.detail).join('; ') || 'about to start'}
          {w.waitingOn.some((g) => g.gate === 'approvals') && (
            <ActionButton label="Approve" confirm={`Approve v${w.version} into ${env.name}?`} action={() => api.approve(w.promotionId).then(onChanged)} testId="approve" />
          )}
        </div>
      ))}
      {env.services.length === 0 ? (
        <p className="empty">No services deployed here yet.</p>
      ) : (
        <table className="table services">
          <colgroup>
            <col className="col-name" />
            <col className="col-health" />
            <col className="col-version" />
            <col className="col-url" />
            <col />
          </colgroup>
          <tbody>
            {env.services.map((s) => (
              <ServiceRow key={s.service} service={s} envName={env.name} release={s.releaseId ? releases.get(s.releaseId) : undefined} />
            ))}
          </tbody>
        </table>
      )}
      {(env.desiredRelease || offer || hasResources) && (
        <footer className="panel-foot">
          {env.desiredRelease && <EnvironmentDiffToggle environmentId={env.id} />}
          {hasResources && <EnvironmentResourcesToggle environmentId={env.id} />}
          {offer && previous && (
            <ActionButton
              label={`Promote v${offer.version}`}
              confirm={`Promote v${offer.version} from ${previous.name} to ${env.name}? It deploys once its gates pass.`}
              action={() => api.deploy(env.id, offer.id).then(onChanged)}
              testId="promote"
            />
          )}
          {env.desiredRelease && <ActionButton
            label="Roll back"
            confirm={`Roll ${env.name} back to its last good release? Auto-promotion into ${env.name} is held until a newer release passes.`}
            action={() => api.rollback(env.id).then(onChanged)}
            testId="rollback"
          />}
        </footer>
      )}
    </section>
  );
}
