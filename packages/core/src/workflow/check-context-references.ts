import { formatPath } from '../config/parse-config.js';
import { asRecord } from './checked-schema.js';
import type { Problem } from './problems.js';

/** The expression text of a value: the `${{ }}` parts, or all of it for an `if:` (written with or without `${{ }}`). */
function expressionsOf(value: string, isCondition: boolean): string[] {
  const parts = [...value.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1]!);
  return parts.length === 0 && isCondition ? [value] : parts;
}

/** `<context>.<job>` and `<context>.<job>.outputs.<name>` references, also in `<context>['job']` form. */
function references(expression: string, context: 'needs' | 'jobs'): { job: string; output?: string }[] {
  // The look-behind keeps `github.event.needs.x` and `my_needs.x` out: only the context itself counts.
  const dotted = new RegExp(`(?<![\\w.-])${context}\\s*\\.\\s*([A-Za-z_][\\w-]*)(?:\\s*\\.\\s*outputs\\s*\\.\\s*([A-Za-z_][\\w-]*))?`, 'g');
  const indexed = new RegExp(`(?<![\\w.-])${context}\\s*\\[\\s*'([^']+)'\\s*\\]`, 'g');
  return [
    ...[...expression.matchAll(dotted)].map((m) => ({ job: m[1]!, ...(m[2] ? { output: m[2] } : {}) })),
    ...[...expression.matchAll(indexed)].map((m) => ({ job: m[1]! })),
  ];
}

/** Every string under a value, with its path and the key that holds it. */
function* strings(value: unknown, path: PropertyKey[], key?: PropertyKey): Generator<{ value: string; path: PropertyKey[]; key: PropertyKey | undefined }> {
  if (typeof value === 'string') yield { value, path, key };
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, [...path, i], i);
  else for (const [k, v] of Object.entries(asRecord(value) ?? {})) yield* strings(v, [...path, k], k);
}

const find = (map: Record<string, unknown>, name: string) => Object.keys(map).find((k) => k.toLowerCase() === name.toLowerCase());

/** Whether job `id` is a steps job without an output `name` (a call job's outputs come from the called workflow). */
function missingOutput(jobs: Record<string, unknown>, id: string, name: string): string[] | undefined {
  const job = asRecord(jobs[id]);
  if (!job || 'uses' in job) return undefined;
  const outputs = asRecord(job.outputs) ?? {};
  return find(outputs, name) ? undefined : Object.keys(outputs);
}

const outputHint = (job: string, outputs: string[]) => (outputs.length ? `Outputs of ${job}: ${outputs.join(', ')}.` : `Declare it under jobs.${job}.outputs.`);

/**
 * Checks references to other jobs in expressions. The needs context of a job holds only the jobs it needs directly,
 * so `needs.X` for any other X is always empty at run time: a clear mistake, reported as an error. So is an output
 * a steps job does not declare, and a reusable workflow's output taken from a job it does not have.
 */
export function checkContextReferences(input: unknown): Problem[] {
  const root = asRecord(input);
  const jobs = asRecord(root?.jobs) ?? {};
  const problems: Problem[] = [];
  for (const [id, raw] of Object.entries(jobs)) {
    const job = asRecord(raw);
    if (!job) continue;
    const needs = typeof job.needs === 'string' ? [job.needs] : Array.isArray(job.needs) ? job.needs.filter((n): n is string => typeof n === 'string') : [];
    for (const [key, value] of Object.entries(job)) {
      if (key === 'needs') continue;
      for (const s of strings(value, ['jobs', id, key], key)) {
        for (const expression of expressionsOf(s.value, s.key === 'if')) {
          for (const ref of references(expression, 'needs')) {
            const need = needs.find((n) => n.toLowerCase() === ref.job.toLowerCase());
            if (!need) {
              problems.push({
                path: s.path,
                message: `${formatPath(s.path)}: needs.${ref.job} is not available: "${ref.job}" is not in jobs.${id}.needs`,
                hint: `Add ${ref.job} to jobs.${id}.needs; the needs context holds only the jobs a job needs directly.`,
              });
              continue;
            }
            const target = find(jobs, need);
            const outputs = ref.output && target ? missingOutput(jobs, target, ref.output) : undefined;
            if (outputs) problems.push({ path: s.path, message: `${formatPath(s.path)}: job "${need}" has no output "${ref.output}"`, hint: outputHint(need, outputs) });
          }
        }
      }
    }
  }
  const callOutputs = asRecord(asRecord(asRecord(root?.on)?.workflow_call)?.outputs) ?? {};
  for (const [name, raw] of Object.entries(callOutputs)) {
    const value = asRecord(raw)?.value;
    if (typeof value !== 'string') continue;
    const path = ['on', 'workflow_call', 'outputs', name, 'value'];
    for (const expression of expressionsOf(value, false)) {
      for (const ref of references(expression, 'jobs')) {
        const target = find(jobs, ref.job);
        if (!target) problems.push({ path, message: `${formatPath(path)}: jobs.${ref.job} is not a job of this workflow`, hint: `Jobs: ${Object.keys(jobs).join(', ')}.` });
        const outputs = target && ref.output ? missingOutput(jobs, target, ref.output) : undefined;
        if (outputs) problems.push({ path, message: `${formatPath(path)}: job "${target}" has no output "${ref.output}"`, hint: outputHint(target!, outputs) });
      }
    }
  }
  return problems;
}
