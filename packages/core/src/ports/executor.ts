/** One shell step to execute. */
export interface StepSpec {
  command: string;
  shell: 'bash' | 'sh';
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
}

export interface StepOutput {
  stream: 'stdout' | 'stderr';
  text: string;
}

/** The Executor port: runs CI steps on the host, in a container, or in a pod. */
export interface Executor {
  readonly name: string;
  runStep(step: StepSpec, onOutput: (out: StepOutput) => void, signal: AbortSignal): Promise<{ exitCode: number }>;
}
