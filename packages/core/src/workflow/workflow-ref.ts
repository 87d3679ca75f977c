/** Where a job's `uses:` finds a reusable workflow. */
export type WorkflowRef =
  /** A workflow file in the same repository and commit, relative to the repository root. */
  | { kind: 'local'; path: string }
  /** A workflow file in another repository, at a ref (branch, tag or commit). */
  | { kind: 'remote'; owner: string; repo: string; path: string; ref: string };

const workflowFile = /\.ya?ml$/;

/**
 * Parses a reusable-workflow reference: `./path/to/workflow.yml` in this repository, or
 * `owner/repo/.github/workflows/file.yml@ref` in another. Returns undefined for anything else. Local workflows may live
 * anywhere in the repository (Slipway keeps them in .slipway/workflows), but never above its root.
 */
export function parseWorkflowRef(uses: string): WorkflowRef | undefined {
  if (uses.startsWith('./')) {
    const path = uses.slice(2);
    return workflowFile.test(path) && !path.split('/').includes('..') ? { kind: 'local', path } : undefined;
  }
  const at = uses.lastIndexOf('@');
  if (at <= 0) return undefined;
  const ref = uses.slice(at + 1);
  const [owner, repo, ...rest] = uses.slice(0, at).split('/');
  const path = rest.join('/');
  // GitHub looks for reusable workflows of other repositories only directly in .github/workflows.
  if (!owner || !repo || !ref || rest.length !== 3 || rest[0] !== '.github' || rest[1] !== 'workflows' || !workflowFile.test(path)) return undefined;
  return { kind: 'remote', owner, repo, path, ref };
}

/** Why `uses:` of a job is not a reusable-workflow reference, or undefined when it is one. */
export function workflowRefProblem(uses: string): string | undefined {
  if (uses === '' || parseWorkflowRef(uses)) return undefined;
  if (uses.startsWith('../') || uses.startsWith('/')) return `"${uses}" is outside the repository; a workflow of this repository is ./path/to/workflow.yml`;
  if (uses.startsWith('./')) return `"${uses}" is not a workflow file of this repository (a .yml or .yaml file, not above the root)`;
  if (!uses.includes('@')) return `"${uses}" needs a ref after "@", for example ${uses}@main`;
  return `"${uses}" is not a reusable workflow; a workflow of another repository is owner/repo/.github/workflows/file.yml@ref`;
}
