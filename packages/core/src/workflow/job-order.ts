import type { Workflow } from './schema.js';

/**
 * Jobs grouped in waves: every job of a wave needs only jobs of earlier waves. Call jobs (`uses:`) are ordered like
 * any other job. Throws on a cycle, naming the jobs that can never run.
 */
export function jobOrder(wf: Pick<Workflow, 'jobs'>): string[][] {
  const remaining = new Map(Object.entries(wf.jobs).map(([id, j]) => [id, new Set(j.needs ?? [])]));
  const waves: string[][] = [];
  const done = new Set<string>();
  while (remaining.size > 0) {
    const wave = [...remaining].filter(([, needs]) => [...needs].every((n) => done.has(n))).map(([id]) => id);
    if (wave.length === 0) throw new Error(`jobs: dependency cycle between ${[...remaining.keys()].join(', ')}`);
    for (const id of wave) {
      remaining.delete(id);
      done.add(id);
    }
    waves.push(wave);
  }
  return waves;
}
