/** The directories workflows are read from: `.slipway/workflows` always, `.github/workflows` when slipway.yaml asks for it. */
export function workflowDirs(githubDir: boolean): string[] {
  return ['.slipway/workflows', ...(githubDir ? ['.github/workflows'] : [])];
}
