import { parseConfig, parseWorkflow, type Project, type Workflow } from '@slipway/core';
import { sourceRef, type EngineContext } from '../context.js';

/** The workflows of a commit: `.slipway/workflows`, and `.github/workflows` when slipway.yaml enables it. */
export async function workflowsAt(ctx: EngineContext, project: Project, sha: string, githubDir?: boolean): Promise<{ file: string; text: string; workflow: Workflow | undefined }[]> {
  const ref = sourceRef(project);
  if (githubDir === undefined) {
    const config = await ctx.source.readFile(ref, sha, 'slipway.yaml');
    githubDir = config === undefined ? false : (parseConfig(config, 'slipway.yaml').value?.workflows.githubDir ?? false);
  }
  const dirs = ['.slipway/workflows', ...(githubDir ? ['.github/workflows'] : [])];
  const files = (await Promise.all(dirs.map((d) => ctx.source.listFiles(ref, sha, d)))).flat().filter((f) => /\.ya?ml$/.test(f));
  return Promise.all(
    files.map(async (file) => {
      const text = (await ctx.source.readFile(ref, sha, file)) ?? '';
      return { file, text, workflow: parseWorkflow(text, file).value };
    }),
  );
}
