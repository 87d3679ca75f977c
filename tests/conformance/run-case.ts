import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseWorkflow, type Executor, type ExpressionValue } from '@slipway/core';
import { runWorkflow, type Annotation, type Conclusion, type JobResult, type StepResult } from '@slipway/runner';

/** One conformance case: a directory with case.yaml, the workflow, and any files the workflow uses. */
export interface ConformanceCase {
  title: string;
  /** The GitHub Actions documentation section the case is written from. */
  docs: string;
  workflow?: string;
  event?: string;
  /** The event payload (`github.event`); `{ ref }` of the push when absent. */
  payload?: Record<string, ExpressionValue>;
  inputs?: Record<string, ExpressionValue>;
  secrets?: Record<string, string>;
  /** The run gets no secrets, as a pull request from a fork (the reason the job logs). */
  secretsWithheld?: string;
  vars?: Record<string, string>;
  /** Executors the feature applies to; default both. */
  executors?: ('host' | 'docker')[];
  only?: string[];
  expect: {
    conclusion: Conclusion;
    jobs?: Record<string, { conclusion?: Conclusion; outputs?: Record<string, string> }>;
    /** Per job key: lines that must appear in its log (trimmed, exact), `~text` for a substring, `!text` for one that must not. */
    logs?: Record<string, string[]>;
    /** Text that must appear in no log line, of any job. */
    absent?: string[];
    annotations?: { level: string; message: string }[];
    /** Per job key and step id: the step's outcome (before continue-on-error). */
    steps?: Record<string, Record<string, Conclusion>>;
    /** Per job key and step id: the step's conclusion (after continue-on-error). */
    stepConclusions?: Record<string, Record<string, Conclusion>>;
    /** Per job key: lines of its step summaries (GITHUB_STEP_SUMMARY), as for logs. */
    summary?: Record<string, string[]>;
    /** How many job instances ran or were skipped. */
    jobCount?: number;
    /** The most jobs that ran at the same time (max-parallel). */
    maxConcurrent?: number;
    /** `annotations` is the whole list: no other annotation may appear. */
    onlyAnnotations?: boolean;
  };
}

export interface CaseOutcome {
  conclusion: Conclusion;
  jobs: Map<string, JobResult>;
  logs: Map<string, string[]>;
  steps: Map<string, Map<string, StepResult>>;
  annotations: Annotation[];
  summaries: Map<string, string[]>;
  maxConcurrent: number;
}

export function loadCase(dir: string): ConformanceCase {
  return parse(readFileSync(join(dir, 'case.yaml'), 'utf8')) as ConformanceCase;
}

/** Runs a case's workflow from its directory with the given executor and collects what the runner reported. */
export async function runCase(dir: string, c: ConformanceCase, executor: Executor): Promise<CaseOutcome> {
  const file = c.workflow ?? 'workflow.yml';
  const parsed = parseWorkflow(readFileSync(join(dir, file), 'utf8'), file);
  if (!parsed.value) throw new Error(parsed.errors.map((e) => e.format()).join('\n'));
  const work = mkdtempSync(join(tmpdir(), 'slipway-conformance-'));
  const logs = new Map<string, string[]>();
  const steps = new Map<string, Map<string, StepResult>>();
  const annotations: Annotation[] = [];
  const summaries = new Map<string, string[]>();
  const running = new Set<string>();
  let maxConcurrent = 0;
  try {
    const result = await runWorkflow({
      workflow: parsed.value,
      file,
      github: { repository: 'slipway/conformance', sha: '0123456789abcdef0123456789abcdef01234567', ref: 'refs/heads/main', refName: 'main', runId: 'run1', runNumber: 7, runAttempt: 1, actor: 'tester', eventName: c.event ?? 'push', event: c.payload ?? { ref: 'refs/heads/main' }, serverUrl: 'http://127.0.0.1:7070' },
      ...(c.inputs ? { inputs: c.inputs } : {}),
      vars: c.vars ?? {},
      executor,
      workRoot: join(work, 'jobs'),
      repoDir: dir,
      checkout: async (dest) => cpSync(dir, dest, { recursive: true }),
      ...(c.secretsWithheld ? { secretsWithheld: c.secretsWithheld } : {}),
      secrets: async (names) => Object.fromEntries(names.filter((n) => c.secrets?.[n] !== undefined).map((n) => [n, c.secrets![n]!])),
      storage: createMemoryStorage(join(work, 'storage')),
      // Remote actions (`owner/repo@ref`) come from the case's action-cache/ directory, when it has one.
      actionCacheDir: join(dir, 'action-cache'),
      ...(c.only ? { onlyJobs: c.only } : {}),
      reporter: {
        jobStarted: (job) => {
          running.add(job.key);
          maxConcurrent = Math.max(maxConcurrent, running.size);
        },
        jobFinished: (r) => running.delete(r.job.key),
        stepStarted: () => {},
        stepFinished: (job, step, r) => {
          const m = steps.get(job.key) ?? new Map<string, StepResult>();
          m.set(step.id ?? step.name, r);
          steps.set(job.key, m);
        },
        log: (job, _step, line) => {
          const l = logs.get(job.key) ?? [];
          l.push(line.text);
          logs.set(job.key, l);
        },
        annotation: (_job, _step, a) => annotations.push(a),
        summary: (job, _step, markdown) => summaries.set(job.key, [...(summaries.get(job.key) ?? []), ...markdown.split('\n')]),
      },
      signal: new AbortController().signal,
    });
    return { conclusion: result.conclusion, jobs: new Map(result.jobs.map((j) => [j.job.key, j])), logs, steps, annotations, summaries, maxConcurrent };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Artifacts and caches in plain directories, for the conformance suite; the server uses the content-addressed store. */
function createMemoryStorage(root: string) {
  const copy = (paths: string[], cwd: string, dest: string) => {
    for (const p of paths) if (existsSync(join(cwd, p))) cpSync(join(cwd, p), join(dest, p), { recursive: true });
  };
  const caches = new Map<string, string>();
  return {
    async saveCache(key: string, paths: string[], cwd: string) {
      if (caches.has(key)) return 'exists' as const;
      const dir = join(root, 'cache', String(caches.size));
      copy(paths, cwd, dir);
      caches.set(key, dir);
      return 'saved' as const;
    },
    async restoreCache(key: string, restoreKeys: string[], _paths: string[], cwd: string) {
      const match = caches.has(key) ? key : [...caches.keys()].reverse().find((k) => restoreKeys.some((r) => k.startsWith(r)));
      if (!match) return { hit: false };
      cpSync(caches.get(match)!, cwd, { recursive: true });
      return { hit: match === key, matchedKey: match };
    },
    async uploadArtifact(name: string, paths: string[], cwd: string) {
      copy(paths, cwd, join(root, 'artifacts', name));
      return { digest: `sha256:${name}`, size: 0 };
    },
    async downloadArtifact(name: string, dest: string) {
      const dir = join(root, 'artifacts', name);
      if (!existsSync(dir)) return false;
      cpSync(dir, dest, { recursive: true });
      return true;
    },
  };
}
