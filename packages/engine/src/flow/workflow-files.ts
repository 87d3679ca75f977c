import { parseConfig, parseWorkflow, workflowDirs, type Project, type Workflow, type WorkflowDispatchInput, type WorkflowSummary } from '@slipway/core';
import { sourceRef, type EngineContext } from '../context.js';

/** The workflows of a commit: `.slipway/workflows`, and `.github/workflows` when slipway.yaml enables it. */
export async function workflowsAt(ctx: EngineContext, project: Project, sha: string, githubDir?: boolean): Promise<{ file: string; text: string; workflow: Workflow | undefined }[]> {
  const ref = sourceRef(project);
  if (githubDir === undefined) {
    const config = await ctx.source.readFile(ref, sha, 'slipway.yaml');
    githubDir = config === undefined ? false : (parseConfig(config, 'slipway.yaml').value?.workflows.githubDir ?? false);
  }
  const dirs = workflowDirs(githubDir);
  const files = (await Promise.all(dirs.map((d) => ctx.source.listFiles(ref, sha, d)))).flat().filter((f) => /\.ya?ml$/.test(f));
  return Promise.all(
    files.map(async (file) => {
      const text = (await ctx.source.readFile(ref, sha, file)) ?? '';
      return { file, text, workflow: parseWorkflow(text, file).value };
    }),
  );
}

/** What the API and the dashboard show of each workflow at the head of the branch: its events, schedules and dispatch inputs. */
export async function workflowSummaries(ctx: EngineContext, project: Project): Promise<WorkflowSummary[]> {
  if (!project.lastCommitSha) return [];
  return (await workflowsAt(ctx, project, project.lastCommitSha)).map(({ file, text, workflow }) => {
    if (!workflow) {
      const [first] = parseWorkflow(text, file).errors;
      return { file, name: file, valid: false, error: first ? first.format() : 'invalid', events: [], schedules: [], dispatchInputs: null };
    }
    const on = workflow.on as Record<string, unknown> & { schedule?: { cron: string }[]; workflow_dispatch?: { inputs?: Record<string, WorkflowDispatchInput> } | null };
    const dispatch = 'workflow_dispatch' in on ? (on.workflow_dispatch ?? {}) : undefined;
    return {
      file,
      name: typeof workflow.name === 'string' ? workflow.name : file,
      valid: true,
      error: null,
      events: Object.keys(on),
      schedules: (on.schedule ?? []).map((s) => s.cron),
      dispatchInputs: dispatch
        ? Object.fromEntries(
            Object.entries(dispatch.inputs ?? {}).map(([k, i]) => [k, { type: i.type, description: i.description ?? null, required: i.required ?? false, default: (i.default as string | number | boolean | undefined) ?? null, options: (i.options ?? []).map(String) }]),
          )
        : null,
    };
  });
}
