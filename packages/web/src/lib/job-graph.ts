/**
 * The layout of a run's job graph: one column per depth in the `needs` DAG, one node per job row. Rows are named
 * by their runner key (`build`, a matrix row `test (a)`, a called workflow's job `deploy / migrate`), and `needs`
 * names workflow jobs, so every row of a workflow job sits in its column and gets an edge from every row it needs.
 */

export interface GraphJob {
  id: string;
  name: string;
  needs: readonly string[];
}

export interface GraphNode<J extends GraphJob = GraphJob> {
  job: J;
  /** The workflow job the row belongs to. */
  workflowJob: string;
  column: number;
  row: number;
}

export interface GraphEdge {
  /** Job row ids. */
  from: string;
  to: string;
}

export interface JobGraphLayout<J extends GraphJob = GraphJob> {
  nodes: GraphNode<J>[];
  edges: GraphEdge[];
  columns: number;
  /** The most rows in any column. */
  rows: number;
}

/** The workflow job of a row name; job ids hold no spaces, so the first ` / ` or ` (` ends it. */
export function workflowJobOf(rowName: string): string {
  const end = rowName.search(/ \/ | \(/);
  return end === -1 ? rowName : rowName.slice(0, end);
}

export function layoutJobGraph<J extends GraphJob>(jobs: readonly J[]): JobGraphLayout<J> {
  // Rows by workflow job, in run order; a group needs what any of its rows needs.
  const groups = new Map<string, { rows: J[]; needs: Set<string> }>();
  for (const job of jobs) {
    const id = workflowJobOf(job.name);
    const group = groups.get(id) ?? { rows: [], needs: new Set<string>() };
    group.rows.push(job);
    for (const n of job.needs) if (n !== id) group.needs.add(n);
    groups.set(id, group);
  }

  // Depth = 1 + the deepest job needed; needs on jobs without rows (not planned yet) and cycles count as roots.
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    let d = 0;
    for (const n of groups.get(id)?.needs ?? []) if (groups.has(n)) d = Math.max(d, depthOf(n) + 1);
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };

  const byDepth: string[][] = [];
  for (const id of groups.keys()) (byDepth[depthOf(id)] ??= []).push(id);
  // A cycle (an invalid workflow) can leave a depth empty; filter drops the holes.
  const columns = byDepth.filter(Boolean);

  // Order each column by where the jobs it needs sit (barycentre), so that edges cross less.
  const nodes: GraphNode<J>[] = [];
  const rowOf = new Map<string, number>(); // job row id → row
  for (const [column, ids] of columns.entries()) {
    const key = (id: string) => {
      const parents = [...groups.get(id)!.needs].flatMap((n) => groups.get(n)?.rows ?? []).map((r) => rowOf.get(r.id) ?? 0);
      return parents.length === 0 ? 0 : parents.reduce((a, b) => a + b, 0) / parents.length;
    };
    const ordered = column === 0 ? ids : [...ids].sort((a, b) => key(a) - key(b));
    let row = 0;
    for (const id of ordered) {
      for (const job of groups.get(id)!.rows) {
        rowOf.set(job.id, row);
        nodes.push({ job, workflowJob: id, column, row: row++ });
      }
    }
  }

  const edges: GraphEdge[] = [];
  for (const { rows, needs } of groups.values()) {
    for (const n of needs) for (const from of groups.get(n)?.rows ?? []) for (const to of rows) edges.push({ from: from.id, to: to.id });
  }
  return { nodes, edges, columns: columns.length, rows: Math.max(0, ...columns.map((ids) => ids.reduce((sum, id) => sum + groups.get(id)!.rows.length, 0))) };
}
