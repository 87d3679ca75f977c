import { describe, expect, it } from 'vitest';
import { layoutJobGraph, workflowJobOf, type GraphJob } from './job-graph.js';

const job = (name: string, needs: string[] = []): GraphJob => ({ id: `id-${name}`, name, needs });
/** name → [column, row] */
const places = (jobs: GraphJob[]) => Object.fromEntries(layoutJobGraph(jobs).nodes.map((n) => [n.job.name, [n.column, n.row]]));
const edges = (jobs: GraphJob[]) => layoutJobGraph(jobs).edges.map((e) => `${e.from.slice(3)} → ${e.to.slice(3)}`);

describe('workflowJobOf', () => {
  it.each([
    ['build', 'build'],
    ['test (a)', 'test'],
    ['test (linux, 20)', 'test'],
    ['deploy / migrate', 'deploy'],
    ['deploy / migrate (x)', 'deploy'],
    ['release (a) / notes', 'release'],
  ])('%s → %s', (name, id) => expect(workflowJobOf(name)).toBe(id));
});

describe('layoutJobGraph', () => {
  it('places jobs in columns by depth, with matrix rows in the column of their job', () => {
    const jobs = [job('build'), job('test (a)', ['build']), job('report', ['test']), job('test (b)', ['build']), job('lint')];
    expect(places(jobs)).toEqual({ build: [0, 0], lint: [0, 1], 'test (a)': [1, 0], 'test (b)': [1, 1], report: [2, 0] });
    expect(edges(jobs)).toEqual(['build → test (a)', 'build → test (b)', 'test (a) → report', 'test (b) → report']);
    expect(layoutJobGraph(jobs)).toMatchObject({ columns: 3, rows: 2 });
  });

  it('takes the deepest need for the column', () => {
    const jobs = [job('a'), job('b', ['a']), job('c', ['a', 'b'])];
    expect(places(jobs)).toEqual({ a: [0, 0], b: [1, 0], c: [2, 0] });
    expect(edges(jobs)).toEqual(['a → b', 'a → c', 'b → c']);
  });

  it('keeps the jobs of a called workflow with their calling job', () => {
    const jobs = [job('build'), job('deploy / migrate', ['build']), job('deploy / rollout')];
    expect(places(jobs)).toEqual({ build: [0, 0], 'deploy / migrate': [1, 0], 'deploy / rollout': [1, 1] });
    expect(edges(jobs)).toEqual(['build → deploy / migrate', 'build → deploy / rollout']);
  });

  it('orders a column by the rows of the jobs it needs', () => {
    const jobs = [job('x'), job('y'), job('after-y', ['y']), job('after-x', ['x'])];
    expect(places(jobs)).toMatchObject({ 'after-x': [1, 0], 'after-y': [1, 1] });
  });

  it('treats needs on jobs without rows and cycles as roots', () => {
    expect(places([job('a', ['missing'])])).toEqual({ a: [0, 0] });
    const cyclic = places([job('a', ['b']), job('b', ['a'])]);
    expect(Object.keys(cyclic).sort()).toEqual(['a', 'b']);
  });

  it('lays out no jobs as an empty graph', () => {
    expect(layoutJobGraph([])).toEqual({ nodes: [], edges: [], columns: 0, rows: 0 });
  });
});
