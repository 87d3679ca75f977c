export { runWorkflow, createSemaphore } from './run-workflow.js';
export { stepName } from './run-job.js';
export { hashFiles } from './hash-files.js';
export type { RunWorkflowOptions, RunnerReporter, WorkflowResult, JobResult, JobInstance, StepInstance, StepResult, Conclusion, CiStorage, GithubRun, Annotation } from './types.js';
