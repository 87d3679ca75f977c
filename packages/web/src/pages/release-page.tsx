import type { ReleaseVerification } from '@slipway/core';
import { useState } from 'react';
import { api } from '../api/endpoints.js';
import { ActionButton } from '../components/action-button.js';
import { Badge } from '../components/badge.js';
import { ErrorPanel } from '../components/error-panel.js';
import { dateTime, shortSha } from '../lib/format.js';
import { href } from '../lib/route.js';
import { useLiveResource } from '../live/use-live-resource.js';

/** One release: its commit and runs, each service's revision and image (digest, builder, SBOM, provenance), and a Verify button. */
export function ReleasePage({ releaseId }: { releaseId: string }) {
  const release = useLiveResource(`release:${releaseId}`, (signal) => api.release(releaseId, { signal }));
  const [report, setReport] = useState<ReleaseVerification | undefined>();
  const r = release.data;
  const hasImages = r ? Object.values(r.services).some((s) => s.image) : false;
  return (
    <div className="page" data-testid="release-page">
      <h1>{r ? `Release v${r.version}` : 'Release'}</h1>
      {release.error && <ErrorPanel error={release.error} />}
      {r && (
        <>
          <section className="panel">
            <header className="panel-head">
              <span className="mono">{shortSha(r.commitSha)}</span>
              <span className="small">changed: {r.changedServices.join(', ') || 'none'}</span>
              <span className="spacer" />
              <span className="muted small">
                made {dateTime(r.createdAt)}
                {r.runIds.length > 0 && ' by '}
                {r.runIds.map((id, i) => (
                  <span key={id}>
                    {i > 0 && ', '}
                    <a href={href({ page: 'run', runId: id })}>run</a>
                  </span>
                ))}
              </span>
            </header>
            <table className="table release-services">
              <thead>
                <tr>
                  <th>Service</th>
                  <th>Revision</th>
                  <th>Image</th>
                  <th>Builder</th>
                  <th>SBOM</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(r.services).map(([name, s]) => (
                  <tr key={name} data-testid="release-service" data-service={name} data-digest={s.image?.digest ?? ''}>
                    <td className="mono">{name}</td>
                    <td className="mono">{s.revision.slice(0, 12)}</td>
                    <td className="mono small" title={s.image?.reference}>
                      {s.image ? `${s.image.reference.slice(0, s.image.reference.indexOf('@'))}@${s.image.digest.slice(0, 19)}…` : <span className="muted">no image (artifact directory)</span>}
                    </td>
                    <td>{s.image?.builder === 'node' ? 'zero-config Node.js' : s.image ? 'Dockerfile' : ''}</td>
                    <td>{s.image ? components(s.image.sbom) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {hasImages && (
              <footer className="panel-foot">
                <ActionButton label="Verify provenance" action={() => api.verifyRelease(r.id).then(setReport)} testId="verify" />
              </footer>
            )}
          </section>
          {report && <VerificationPanel report={report} />}
        </>
      )}
      {release.loading && !r && !release.error && <p className="muted">Loading…</p>}
    </div>
  );
}

function VerificationPanel({ report }: { report: ReleaseVerification }) {
  return (
    <section className="panel" data-testid="verification" data-verified={String(report.verified)}>
      <header className="panel-head">
        <Badge tone={report.verified ? 'green' : 'red'}>{report.verified ? 'verified' : 'does not verify'}</Badge>
        <span className="spacer" />
        {report.keyid && <span className="muted small mono">key {report.keyid.slice(0, 16)}…</span>}
      </header>
      <table className="table gates">
        <thead>
          <tr>
            <th>Service</th>
            <th>Check</th>
            <th>Result</th>
            <th>What it found</th>
          </tr>
        </thead>
        <tbody>
          {report.services.flatMap((s) =>
            s.checks.map((c, i) => (
              <tr key={`${s.service}-${c.check}-${i}`} data-testid="verification-check" data-service={s.service} data-check={c.check} data-passed={String(c.passed)}>
                <td className="mono">{i === 0 ? s.service : ''}</td>
                <td className="mono">{c.check}</td>
                <td>{c.passed ? <span className="badge tone-green">ok</span> : <span className="badge tone-red">failed</span>}</td>
                <td className="small">{c.detail}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </section>
  );
}

function components(sbom: Record<string, unknown>): string {
  const n = (sbom.components as unknown[] | undefined)?.length ?? 0;
  return `CycloneDX, ${n} component${n === 1 ? '' : 's'}`;
}
