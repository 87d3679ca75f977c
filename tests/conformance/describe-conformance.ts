import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Executor } from '@slipway/core';
import { loadCase, runCase, type CaseOutcome, type ConformanceCase } from './run-case.js';

const root = fileURLToPath(new URL('./workflows', import.meta.url));
const cases = readdirSync(root).filter((d) => existsSync(join(root, d, 'case.yaml'))).sort();

/**
 * The workflow conformance suite: each case is written from the GitHub Actions documentation, with its expected outcome.
 * Every executor runs the same cases; a case names the executors it applies to when it needs one (`container:` needs Docker).
 */
export function describeConformance(executorName: 'host' | 'docker', executor: () => Executor) {
  describe(`workflow conformance on the ${executorName} executor`, () => {
    for (const name of cases) {
      const dir = join(root, name);
      const c = loadCase(dir);
      // A case that does not apply to this executor is not a test here (a skip would read as a missing service).
      if (!(c.executors ?? ['host', 'docker']).includes(executorName)) continue;
      it(`${name}: ${c.title}`, async () => {
        const outcome = await runCase(dir, c, executor());
        check(c, outcome);
      }, 60_000);
    }
  });
}

/** Lines of a log or summary: exact trimmed lines, `~substring` that must appear, `!substring` that must not. */
function expectLines(what: string, got: string[], want: string[], dump: () => string) {
  const log = got.map((l) => l.trim());
  for (const line of want) {
    if (line.startsWith('~')) expect(log.some((l) => l.includes(line.slice(1))), `${what} contains "${line.slice(1)}"\n${dump()}`).toBe(true);
    else if (line.startsWith('!')) expect(log.some((l) => l.includes(line.slice(1))), `${what} has no "${line.slice(1)}"\n${dump()}`).toBe(false);
    else expect(log, `${what} has the line "${line}"\n${dump()}`).toContain(line);
  }
}

function check(c: ConformanceCase, o: CaseOutcome) {
  const dump = () => [...o.logs].map(([k, l]) => `--- ${k}\n${l.join('\n')}`).join('\n');
  expect(o.conclusion, `workflow conclusion\n${dump()}`).toBe(c.expect.conclusion);
  for (const [key, want] of Object.entries(c.expect.jobs ?? {})) {
    const got = o.jobs.get(key);
    expect(got, `job ${key} ran (jobs: ${[...o.jobs.keys()].join(', ')})`).toBeDefined();
    if (want.conclusion) expect(got!.conclusion, `job ${key} conclusion\n${dump()}`).toBe(want.conclusion);
    if (want.outputs) expect(got!.outputs, `job ${key} outputs`).toEqual(want.outputs);
  }
  if (c.expect.jobCount !== undefined) expect(o.jobs.size, `number of jobs (${[...o.jobs.keys()].join(', ')})`).toBe(c.expect.jobCount);
  for (const [key, lines] of Object.entries(c.expect.logs ?? {})) expectLines(`job ${key} log`, o.logs.get(key) ?? [], lines, dump);
  for (const [key, lines] of Object.entries(c.expect.summary ?? {})) expectLines(`job ${key} step summary`, o.summaries.get(key) ?? [], lines, () => [...o.summaries].map(([k, l]) => `--- ${k}\n${l.join('\n')}`).join('\n'));
  for (const text of c.expect.absent ?? []) {
    for (const [key, lines] of o.logs) expect(lines.some((l) => l.includes(text)), `"${text}" leaked into the log of ${key}`).toBe(false);
    for (const [key, lines] of o.summaries) expect(lines.some((l) => l.includes(text)), `"${text}" leaked into the step summary of ${key}`).toBe(false);
  }
  for (const want of c.expect.annotations ?? []) expect(o.annotations).toContainEqual(expect.objectContaining(want));
  if (c.expect.onlyAnnotations) expect(o.annotations, 'no other annotations').toHaveLength(c.expect.annotations?.length ?? 0);
  if (c.expect.maxConcurrent !== undefined) expect(o.maxConcurrent, 'most jobs running at once').toBe(c.expect.maxConcurrent);
  for (const [key, steps] of Object.entries(c.expect.steps ?? {})) {
    for (const [step, outcome] of Object.entries(steps)) expect(o.steps.get(key)?.get(step)?.outcome, `step ${step} of ${key}`).toBe(outcome);
  }
  for (const [key, steps] of Object.entries(c.expect.stepConclusions ?? {})) {
    for (const [step, conclusion] of Object.entries(steps)) expect(o.steps.get(key)?.get(step)?.conclusion, `conclusion of step ${step} of ${key}`).toBe(conclusion);
  }
}
