import type { Annotation, Conclusion, JobInstance, JobResult, RunnerReporter, StepInstance, StepResult } from '@slipway/runner';

export type Status = 'queued' | 'running' | Conclusion;

export interface StepRecord {
  step: StepInstance;
  status: Status;
  startedAt: number;
  result?: StepResult;
  /** The last log lines of the step. */
  tail: string[];
}

export interface JobRecord {
  job: JobInstance;
  status: Status;
  startedAt?: number;
  result?: JobResult;
  steps: StepRecord[];
  /** Lines logged outside any step: setup errors, skip reasons. */
  tail: string[];
}

/** What happened, for a renderer. Text is masked already by the runner. */
export type RunEvent =
  | { kind: 'job'; job: JobRecord }
  | { kind: 'step'; job: JobRecord; step: StepRecord }
  | { kind: 'log'; job: JobRecord; step: StepRecord | null; stream: 'stdout' | 'stderr' | 'system'; text: string }
  | { kind: 'annotation'; job: JobRecord; annotation: Annotation };

/** Where a failed job failed: the step (null when the job failed before or between steps) and its last lines. */
export interface JobFailure {
  step: string | null;
  exitCode: number | null;
  error: string | null;
  tail: string[];
}

export interface RunRecorder {
  reporter: RunnerReporter;
  /** Jobs in the order they were first reported. */
  jobs(): JobRecord[];
}

/** Lines kept per step for the failure report. */
export const tailSize = 20;

const push = (tail: string[], text: string) => {
  tail.push(text);
  if (tail.length > tailSize) tail.shift();
};

/** A RunnerReporter that keeps each job's state, step results and last log lines, and tells `onEvent` of each change. Pure. */
export function createRunRecorder(onEvent: (e: RunEvent) => void = () => {}, now: () => number = Date.now): RunRecorder {
  const jobs = new Map<string, JobRecord>();
  const jobOf = (job: JobInstance): JobRecord => {
    let r = jobs.get(job.key);
    if (!r) {
      r = { job, status: 'queued', steps: [], tail: [] };
      jobs.set(job.key, r);
    }
    return r;
  };
  const stepOf = (r: JobRecord, step: StepInstance | null) => (step ? r.steps.find((s) => s.step.index === step.index) : undefined);
  const reporter: RunnerReporter = {
    jobQueued(job) {
      onEvent({ kind: 'job', job: jobOf(job) });
    },
    jobStarted(job) {
      const r = jobOf(job);
      r.status = 'running';
      r.startedAt = now();
      onEvent({ kind: 'job', job: r });
    },
    jobFinished(result) {
      const r = jobOf(result.job);
      r.status = result.conclusion;
      r.result = result;
      onEvent({ kind: 'job', job: r });
    },
    stepStarted(job, step) {
      const r = jobOf(job);
      const s: StepRecord = { step, status: 'running', startedAt: now(), tail: [] };
      r.steps.push(s);
      onEvent({ kind: 'step', job: r, step: s });
    },
    stepFinished(job, step, result) {
      const r = jobOf(job);
      const s = stepOf(r, step);
      if (!s) return;
      s.status = result.conclusion;
      s.result = result;
      onEvent({ kind: 'step', job: r, step: s });
    },
    log(job, step, line) {
      const r = jobOf(job);
      const s = stepOf(r, step) ?? null;
      push(s ? s.tail : r.tail, line.text);
      onEvent({ kind: 'log', job: r, step: s, stream: line.stream, text: line.text });
    },
    annotation(job, _step, annotation) {
      onEvent({ kind: 'annotation', job: jobOf(job), annotation });
    },
  };
  return { reporter, jobs: () => [...jobs.values()] };
}

/** Where a failed job failed: its first failing step (not one that continued on error), else the lines outside steps. */
export function jobFailure(r: JobRecord): JobFailure | null {
  if (r.status !== 'failure') return null;
  const step = r.steps.find((s) => s.result?.conclusion === 'failure');
  if (step) return { step: step.step.name, exitCode: step.result?.exitCode ?? null, error: r.result?.error ?? null, tail: [...step.tail] };
  return { step: null, exitCode: null, error: r.result?.error ?? null, tail: [...r.tail] };
}

/** The job id `-j` takes to re-run a job: a matrix instance or a called workflow's job re-runs its top-level job. */
export function topLevelJobId(job: JobInstance): string {
  const call = job.key.indexOf(' / ');
  return call >= 0 ? job.key.slice(0, call) : job.jobId;
}
