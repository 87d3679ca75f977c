import { SlipwayError } from '../errors/slipway-error.js';
import { parseYamlWithSchema, type ParseResult } from '../config/parse-config.js';
import { workflowSchema, type Workflow } from './schema.js';

/** Parses a workflow file and checks its job graph: every `needs` exists and there is no cycle. */
export function parseWorkflow(text: string, file: string): ParseResult<Workflow> {
  const parsed = parseYamlWithSchema(text, file, workflowSchema);
  if (!parsed.value) return { errors: parsed.errors.map((e) => (e.code.startsWith('SLW_CONFIG_') && e.code !== 'SLW_CONFIG_YAML' ? new SlipwayError('SLW_WORKFLOW_INVALID', e.message, { position: e.position!, hint: e.hint }) : e)) };
  const wf = parsed.value;
  const errors: SlipwayError[] = [];
  for (const [id, job] of Object.entries(wf.jobs)) {
    (job.needs ?? []).forEach((need, i) => {
      if (!wf.jobs[need]) {
        errors.push(new SlipwayError('SLW_WORKFLOW_INVALID', `jobs.${id}.needs: unknown job "${need}"`, { position: parsed.locateAt(['jobs', id, 'needs', i]), hint: `Known jobs: ${Object.keys(wf.jobs).join(', ')}.` }));
      }
    });
    job.steps.forEach((step, i) => {
      if (step.run === undefined && step.uses === undefined) {
        errors.push(new SlipwayError('SLW_WORKFLOW_INVALID', `jobs.${id}.steps[${i}]: a step needs "run" or "uses"`, { position: parsed.locateAt(['jobs', id, 'steps', i]) }));
      }
    });
  }
  if (errors.length === 0) {
    try {
      jobOrder(wf);
    } catch (err) {
      errors.push(new SlipwayError('SLW_WORKFLOW_INVALID', (err as Error).message, { position: parsed.locateAt(['jobs']) }));
    }
  }
  return errors.length > 0 ? { errors } : { value: wf, errors: [] };
}

/** Jobs grouped in waves: every job of a wave needs only jobs of earlier waves. Throws on a cycle. */
export function jobOrder(wf: Workflow): string[][] {
  const remaining = new Map(Object.entries(wf.jobs).map(([id, j]) => [id, new Set(j.needs ?? [])]));
  const waves: string[][] = [];
  const done = new Set<string>();
  while (remaining.size > 0) {
    const wave = [...remaining].filter(([, needs]) => [...needs].every((n) => done.has(n))).map(([id]) => id);
    if (wave.length === 0) throw new Error(`jobs: dependency cycle between ${[...remaining.keys()].join(', ')}`);
    wave.forEach((id) => {
      remaining.delete(id);
      done.add(id);
    });
    waves.push(wave);
  }
  return waves;
}
