import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Executor } from '@slipway/core';
import { createHostExecutor } from '@slipway/executor-host';
import { loadCase, runCase, type CaseOutcome, type ConformanceCase } from './run-case.js';

const root = fileURLToPath(new URL('./workflows', import.meta.url));
const cases = readdirSync(root).filter((d) => existsSync(join(root, d, 'case.yaml'))).sort();

/** The workflow conformance suite: each case is written from the GitHub Actions documentation, with its expected outcome. */
export function describeConformance(executorName: 'host' | 'docker', executor: () => Executor) {
  describe(`workflow conformance on the ${executorName} executor`, () => {
    for (const name of cases) {
      const dir = join(root, name);
      const c = loadCase(dir);
      const applies = (c.executors ?? ['host', 'docker']).includes(executorName);
      it.skipIf(!applies)(`${name}: ${c.title}`, async () => {
        const outcome = await runCase(dir, c, executor());
        check(c, outcome);
      }, 60_000);
    }
  });
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
  for (const [key, lines] of Object.entries(c.expect.logs ?? {})) {
    const log = (o.logs.get(key) ?? []).map((l) => l.trim());
    for (const line of lines) {
      if (line.startsWith('~')) expect(log.some((l) => l.includes(line.slice(1))), `job ${key} log contains "${line.slice(1)}"\n${dump()}`).toBe(true);
      else if (line.startsWith('!')) expect(log.some((l) => l.includes(line.slice(1))), `job ${key} log has no "${line.slice(1)}"\n${dump()}`).toBe(false);
      else expect(log, `job ${key} log has the line "${line}"\n${dump()}`).toContain(line);
    }
  }
  for (const text of c.expect.absent ?? []) {
    for (const [key, lines] of o.logs) expect(lines.some((l) => l.includes(text)), `"${text}" leaked into the log of ${key}`).toBe(false);
  }
  for (const want of c.expect.annotations ?? []) expect(o.annotations).toContainEqual(expect.objectContaining(want));
  for (const [key, steps] of Object.entries(c.expect.steps ?? {})) {
    for (const [step, outcome] of Object.entries(steps)) expect(o.steps.get(key)?.get(step)?.outcome, `step ${step} of ${key}`).toBe(outcome);
  }
}

describeConformance('host', () => createHostExecutor());
