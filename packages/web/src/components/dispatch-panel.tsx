import { useState } from 'react';
import type { Project, WorkflowSummary } from '@slipway/core';
import { ApiError } from '../api/client.js';
import { api } from '../api/endpoints.js';
import { useLiveResource, touchesKinds } from '../live/use-live-resource.js';
import { href } from '../lib/route.js';
import { ErrorPanel } from './error-panel.js';

/** The workflows of each project at the head of its branch: what triggers them, their schedules, and a form to start one by hand. */
export function WorkflowsPanel({ projects }: { projects: Project[] }) {
  return (
    <div className="panel" data-testid="workflows-panel">
      <div className="panel-head">
        <strong>Workflows</strong>
        <span className="muted small">at the head of each branch; start one that has workflow_dispatch by hand</span>
      </div>
      {projects.map((p) => (
        <ProjectWorkflows key={p.id} project={p} showName={projects.length > 1} />
      ))}
    </div>
  );
}

function ProjectWorkflows({ project, showName }: { project: Project; showName: boolean }) {
  const workflows = useLiveResource(`workflows:${project.id}`, (signal) => api.workflows(project.id, { signal }), { touches: touchesKinds('commit.') });
  return (
    <div>
      {showName && <div className="panel-head">{project.name}</div>}
      {workflows.error && <ErrorPanel error={workflows.error} compact />}
      <table className="table">
        <tbody>
          {(workflows.data ?? []).map((w) => (
            <WorkflowRow key={w.file} project={project} workflow={w} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function WorkflowRow({ project, workflow }: { project: Project; workflow: WorkflowSummary }) {
  const [open, setOpen] = useState(false);
  return (
    <tr data-testid="workflow-row" data-file={workflow.file}>
      <td>
        <strong>{workflow.name}</strong> <span className="muted small mono">{workflow.file}</span>
        {!workflow.valid && <div className="error small">{workflow.error}</div>}
        {open && workflow.dispatchInputs && <DispatchForm project={project} workflow={workflow} inputs={workflow.dispatchInputs} onCancel={() => setOpen(false)} />}
      </td>
      <td className="small">on {workflow.events.join(', ') || '-'}</td>
      <td className="small mono">{workflow.schedules.map((c) => `cron ${c}`).join(' · ')}</td>
      <td>
        {workflow.dispatchInputs && !open && (
          <button type="button" className="button" data-testid="dispatch-open" onClick={() => setOpen(true)}>
            Run workflow
          </button>
        )}
      </td>
    </tr>
  );
}

type Inputs = NonNullable<WorkflowSummary['dispatchInputs']>;

function DispatchForm({ project, workflow, inputs, onCancel }: { project: Project; workflow: WorkflowSummary; inputs: Inputs; onCancel: () => void }) {
  const [values, setValues] = useState<Record<string, string | boolean>>(() =>
    Object.fromEntries(Object.entries(inputs).map(([k, i]) => [k, i.type === 'boolean' ? i.default === true || i.default === 'true' : String(i.default ?? (i.type === 'choice' ? (i.options[0] ?? '') : ''))])),
  );
  const [error, setError] = useState<ApiError>();
  const [pending, setPending] = useState(false);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setPending(true);
    setError(undefined);
    // Empty text fields are left out, so that the workflow's default (or its "required" error) applies.
    const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
    api
      .dispatch(project.id, workflow.file, given)
      .then((run) => (window.location.hash = href({ page: 'run', runId: run.id })))
      .catch((err: unknown) => setError(err instanceof ApiError ? err : new ApiError(0, 'SLW_INTERNAL', String(err), null)))
      .finally(() => setPending(false));
  };
  return (
    <form className="dispatch-form" data-testid="dispatch-form" onSubmit={submit}>
      {Object.entries(inputs).map(([name, input]) => (
        <label key={name} className="field">
          <span>
            {name}
            {input.required && ' *'}
            {input.description && <span className="muted small"> {input.description}</span>}
          </span>
          {input.type === 'boolean' ? (
            <input type="checkbox" name={name} checked={values[name] === true} onChange={(e) => setValues({ ...values, [name]: e.target.checked })} />
          ) : input.type === 'choice' ? (
            <select name={name} value={String(values[name])} onChange={(e) => setValues({ ...values, [name]: e.target.value })}>
              {input.options.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          ) : (
            <input type={input.type === 'number' ? 'number' : 'text'} name={name} value={String(values[name])} onChange={(e) => setValues({ ...values, [name]: e.target.value })} />
          )}
        </label>
      ))}
      <button type="submit" className="button" disabled={pending} data-testid="dispatch-submit">
        {pending ? 'Starting…' : `Run ${workflow.name}`}
      </button>{' '}
      <button type="button" className="button subtle" onClick={onCancel}>
        Cancel
      </button>
      {error && <ErrorPanel error={error} compact />}
    </form>
  );
}
