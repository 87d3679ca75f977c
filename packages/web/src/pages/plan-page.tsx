import { useEffect, useState } from 'react';
import type { PlanPreview, Project } from '@slipway/core';
import { ApiError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import { ErrorPanel } from '../components/error-panel.js';
import { touchesKinds, useLiveResource } from '../live/use-live-resource.js';
import { shortSha } from '../lib/format.js';
import { href } from '../lib/route.js';

/**
 * The plan preview: what merging a branch or a pull request would rebuild, and each environment's desired-state diff.
 * Pull requests announced by webhooks are listed with the plan computed when they were last updated.
 */
export function PlanPage({ branch, pr }: { branch?: string; pr?: number }) {
  const projects = useLiveResource('projects', (signal) => api.projects({ signal }), { touches: touchesKinds('project.') });
  const recent = useLiveResource('plans', async (signal) => (await api.events({ limit: 200, newest: true }, { signal })).filter((e) => e.kind === 'plan.created').reverse(), { touches: touchesKinds('plan.') });
  const [projectId, setProjectId] = useState<string>();
  const project = projects.data?.find((p) => p.id === projectId) ?? projects.data?.[0];
  const [input, setInput] = useState(branch ?? (pr !== undefined ? `#${pr}` : ''));
  const [plan, setPlan] = useState<PlanPreview>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (!project || (branch === undefined && pr === undefined)) return;
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    api
      .plan(project.id, branch !== undefined ? { branch } : { pr: pr! }, { signal: controller.signal })
      .then(setPlan, (e: unknown) => !controller.signal.aborted && setError(e instanceof ApiError ? e : new ApiError(0, 'SLW_INTERNAL', String(e), null)))
      .finally(() => setLoading(false));
    return () => controller.abort();
  }, [project, branch, pr]);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const value = input.trim();
    const n = /^#?(\d+)$/.exec(value);
    window.location.hash = href(n ? { page: 'plan', pr: Number(n[1]) } : { page: 'plan', branch: value });
  };

  return (
    <div className="page" data-testid="plan-page">
      <h1>Plan</h1>
      <form className="panel plan-form" onSubmit={submit}>
        {projects.data && projects.data.length > 1 && (
          <select value={project?.id} onChange={(e) => setProjectId(e.target.value)} aria-label="Project">
            {projects.data.map((p: Project) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        )}
        <input name="target" placeholder="a branch, or #12 for a pull request" value={input} onChange={(e) => setInput(e.target.value)} data-testid="plan-target" />
        <button type="submit" className="button" data-testid="plan-submit" disabled={!input.trim()}>
          Preview
        </button>
        <span className="muted small">against {project?.branch ?? 'the project branch'}</span>
      </form>
      {error && <ErrorPanel error={error} />}
      {loading && <p className="muted">Computing…</p>}
      {plan && !loading && <PlanView plan={plan} />}
      {recent.data && recent.data.length > 0 && (
        <div className="panel" data-testid="plan-recent">
          <div className="panel-head">
            <strong>Pull requests</strong>
            <span className="muted small">the plan computed when each was last opened or updated</span>
          </div>
          <ul className="plain-list">
            {recent.data.slice(0, 20).map((e) => (
              <li key={e.seq}>
                <a href={href({ page: 'plan', pr: Number(e.data.pullRequest) })}>#{String(e.data.pullRequest)}</a> <span className="muted small mono">{shortSha(String(e.data.sha))}</span> {e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function PlanView({ plan }: { plan: PlanPreview }) {
  if (plan.errors.length > 0) return <ErrorPanel error={new ApiError(422, 'SLW_CONFIG_INVALID', plan.errors.join('\n'), 'Fix slipway.yaml on the branch.')} />;
  return (
    <div data-testid="plan" data-head={plan.head.sha}>
      <p className="muted">
        <span className="mono">{plan.head.ref}</span> ({shortSha(plan.head.sha)}) into <span className="mono">{plan.base.ref}</span> ({shortSha(plan.base.sha)}): {plan.changedFiles.length} files changed
      </p>
      <div className="panel">
        <div className="panel-head">
          <strong>Services</strong>
        </div>
        <table className="table">
          <tbody>
            {plan.services.map((s) => (
              <tr key={s.service} data-testid="plan-service" data-service={s.service} data-rebuild={String(s.rebuild)}>
                <td>{s.service}</td>
                <td>{s.rebuild ? <span className="badge tone-amber">rebuild</span> : <span className="badge tone-grey">keep</span>}</td>
                <td className="muted small">{s.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {plan.environments.map((env) => (
        <div className="panel" key={env.environment} data-testid="plan-environment" data-env={env.environment}>
          <div className="panel-head">
            <strong>{env.environment}</strong>
            <span className="muted small">now {env.currentRelease === null ? 'no release' : `v${env.currentRelease}`}</span>
            {env.services.length === 0 && <span className="muted small">no change</span>}
          </div>
          {env.services.length > 0 && (
            <pre className="plan-diff">
              {env.services.flatMap((svc) => [
                <span key={svc.service} className={`diff-${svc.change}`}>{`${svc.change === 'added' ? '+' : svc.change === 'removed' ? '-' : '~'} ${svc.service}\n`}</span>,
                ...svc.fields.flatMap((f) => [
                  f.from !== null ? <span key={`${svc.service}-${f.field}-from`} className="diff-removed">{`-   ${f.field}: ${f.from}\n`}</span> : null,
                  f.to !== null ? <span key={`${svc.service}-${f.field}-to`} className="diff-added">{`+   ${f.field}: ${f.to}\n`}</span> : null,
                ]),
              ])}
            </pre>
          )}
        </div>
      ))}
      {plan.workflows.length > 0 && (
        <div className="panel">
          <div className="panel-head">
            <strong>Workflows on the pull request</strong>
          </div>
          <ul className="plain-list">
            {plan.workflows.map((w) => (
              <li key={w.workflow}>
                {w.triggered ? 'runs' : 'skipped'} <span className="mono">{w.workflow}</span> <span className="muted small">{w.reason}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
