import { asRecord } from './checked-schema.js';
import { didYouMean } from './did-you-mean.js';
import type { Problem } from './problems.js';

interface NeedEntry {
  need: string;
  /** Where the entry is written: the item of a `needs` list, or `needs` itself when it is a string. */
  path: PropertyKey[];
}

/**
 * The `needs` of every job of a raw (unvalidated) workflow, in file order. Tolerant of any input, so that graph
 * problems are reported even when the schema finds problems elsewhere in the file.
 */
function rawNeeds(input: unknown): Map<string, NeedEntry[]> {
  const jobs = asRecord(asRecord(input)?.jobs) ?? {};
  const graph = new Map<string, NeedEntry[]>();
  for (const [id, job] of Object.entries(jobs)) {
    const needs = asRecord(job)?.needs;
    const path = ['jobs', id, 'needs'];
    const entries: NeedEntry[] =
      typeof needs === 'string' ? [{ need: needs, path }] : Array.isArray(needs) ? needs.flatMap((need, i) => (typeof need === 'string' ? [{ need, path: [...path, i] }] : [])) : [];
    graph.set(id, entries);
  }
  return graph;
}

/** Checks the job graph: every need names a job, and no jobs need each other in a cycle (each cycle is reported once). */
export function checkJobGraph(input: unknown): Problem[] {
  const graph = rawNeeds(input);
  const ids = [...graph.keys()];
  const problems: Problem[] = [];
  for (const [id, entries] of graph) {
    for (const { need, path } of entries) {
      if (!graph.has(need)) problems.push({ path, message: `jobs.${id}.needs: unknown job "${need}"`, hint: `${didYouMean(need, ids)}Known jobs: ${ids.join(', ')}.` });
    }
  }
  for (const cycle of findCycles(graph)) {
    const [first, second] = [cycle[0]!, cycle[1] ?? cycle[0]!];
    const entry = graph.get(first)!.find((e) => e.need === second)!;
    problems.push({
      path: entry.path,
      message: `jobs.${first}.needs: dependency cycle: ${[...cycle, first].join(' -> ')}`,
      hint: 'Remove one of these needs: jobs that need each other can never start.',
    });
  }
  return problems;
}

/** Every elementary cycle met by a depth-first walk in file order, each rotated to start at its earliest job. */
function findCycles(graph: Map<string, NeedEntry[]>): string[][] {
  const order = new Map([...graph.keys()].map((id, i) => [id, i]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found = new Map<string, string[]>();
  const visit = (id: string): void => {
    state.set(id, 'open');
    stack.push(id);
    for (const { need } of graph.get(id) ?? []) {
      if (!graph.has(need)) continue;
      if (state.get(need) === 'open') {
        const cycle = stack.slice(stack.indexOf(need));
        const start = cycle.reduce((best, j, i) => (order.get(j)! < order.get(cycle[best]!)! ? i : best), 0);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        found.set(rotated.join('\u0000'), rotated);
      } else if (!state.has(need)) {
        visit(need);
      }
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of graph.keys()) if (!state.has(id)) visit(id);
  return [...found.values()];
}
