/** One shell step to execute inside a prepared job environment. */
export interface StepSpec {
  /** The script; it is written to a file and run by `shell`. */
  command: string;
  /** `bash`, `sh`, `node`, or a template with `{0}` for the script file (GitHub Actions' custom shell syntax). */
  shell: string;
  /** Working directory, as the step sees it. */
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
}

export interface StepOutput {
  stream: 'stdout' | 'stderr';
  text: string;
}

/** A container image and its settings, as in a workflow's `container:` or `services:`. */
export interface ContainerSpec {
  image: string;
  env?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  options?: string;
  /** Services only: replaces the image's ENTRYPOINT (one executable, as `docker run --entrypoint`). */
  entrypoint?: string;
  /** Services only: replaces the image's CMD; split into words as a shell would. */
  command?: string;
}

export interface JobEnvironmentSpec {
  /** Unique per job attempt; names containers, networks and directories. */
  id: string;
  /** Host directory holding the job's workspace; created by the caller. Executors make it visible at the same path. */
  workspace: string;
  /** Host directory for runner.temp and the environment files (GITHUB_ENV, …); same-path rule as the workspace. */
  temp: string;
  container?: ContainerSpec;
  services?: Record<string, ContainerSpec>;
}

/** What the `job.services` context shows for one service: how a step reaches it. */
export interface ServiceEndpoint {
  id: string | null;
  network: string | null;
  /** Container port → the port a step uses to reach it. */
  ports: Record<string, string>;
}

/** A prepared place to run the steps of one job: a workspace on the host, or a job container with its sidecars. */
export interface JobEnvironment {
  readonly executor: string;
  /** `job.container` and `job.services`. */
  readonly container: { id: string | null; network: string | null };
  readonly services: Record<string, ServiceEndpoint>;
  runStep(step: StepSpec, onOutput: (out: StepOutput) => void, signal: AbortSignal): Promise<{ exitCode: number }>;
  /** Removes everything the job made (containers, networks, processes). Safe to call twice. */
  dispose(): Promise<void>;
}

/** The Executor port: runs CI jobs on the host, in a container, or in a pod. Every executor passes the same conformance suite. */
export interface Executor {
  readonly name: string;
  prepareJob(spec: JobEnvironmentSpec, signal: AbortSignal): Promise<JobEnvironment>;
  /** Removes what crashed earlier runs left behind (containers and networks with Slipway's label). */
  cleanupOrphans?(): Promise<number>;
}
