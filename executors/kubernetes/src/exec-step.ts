import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scriptExtension, shellCommand, SlipwayError, type StepOutput, type StepSpec, createLineSplitter } from '@slipway/core';
import type { KubeClient } from './kube-client.js';
import { execInPod, type ExecTarget, type PodExec } from './pod-exec.js';
import { killScript, launcherScript } from './step-launcher.js';

/** How long to wait for the exec's output to end after its process group was killed, before dropping the connection. */
const drainAfterKillMs = 5_000;

/**
 * Runs one step in the job container through the exec API. The script and a launcher (working directory, environment,
 * PID file) go to the temp directory, which the pod mounts at the same path; the exec runs the launcher. Output is
 * split into stdout and stderr lines as it arrives. On timeout or abort the step's process group is killed from a
 * second exec, and the step ends with 137 like a SIGKILLed process.
 */
export async function execStep(client: KubeClient, target: ExecTarget, temp: string, step: StepSpec, onOutput: (out: StepOutput) => void, signal: AbortSignal): Promise<{ exitCode: number }> {
  // An abort event never fires for a signal that is already aborted: check it, or the step would run to its end.
  if (signal.aborted) {
    onOutput({ stream: 'stderr', text: 'step cancelled' });
    return { exitCode: 137 };
  }
  const name = `step-${randomUUID().slice(0, 8)}`;
  const script = join(temp, `${name}${scriptExtension(step.shell)}`);
  const launcher = join(temp, `${name}.launch.sh`);
  const pidFile = join(temp, `${name}.pid`);
  await writeFile(script, step.command, { mode: 0o700 });
  await writeFile(launcher, launcherScript({ pidFile, cwd: step.cwd, env: step.env, argv: shellCommand(step.shell, script) }), { mode: 0o600 });

  const out = createLineSplitter('stdout', onOutput);
  const err = createLineSplitter('stderr', onOutput);
  let exec: PodExec | undefined;
  let stopped = false;
  let stopping: Promise<void> | undefined;
  const stop = (why: string) => {
    if (stopped) return;
    stopped = true;
    onOutput({ stream: 'stderr', text: why });
    stopping = killStep(client, target, pidFile).then(() => {
      // The kill ends the exec and with it the connection; one that never closes must not hang the job.
      const timer = setTimeout(() => exec?.abort(), drainAfterKillMs);
      timer.unref();
    });
  };
  const timer = setTimeout(() => stop(`step timed out after ${Math.round(step.timeoutMs / 1000)}s`), step.timeoutMs);
  const onAbort = () => stop('step cancelled');
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    exec = await execInPod(client.kc, client.server, target, ['sh', launcher], (stream, chunk) => (stream === 'stdout' ? out : err).push(chunk));
    const outcome = await exec.done;
    out.flush();
    err.flush();
    await stopping;
    if (stopped) return { exitCode: 137 };
    if ('error' in outcome) {
      const fake = await fakeNodeOf(client, target);
      throw new SlipwayError('SLW_RUN_FAILED', `could not run the step in the job pod ${target.namespace}/${target.pod}: ${outcome.error}${fake ? `; its node ${fake} is a kwok fake node, where nothing runs` : ''}`, {
        hint: fake
          ? 'Run jobs on a cluster with real nodes (a kubelet and a container runtime); kwok nodes only pretend to run pods.'
          : 'The pod stopped or was deleted while the job ran, or the API server cannot reach its node (kubectl get pod -o wide; kubectl describe pod).',
      });
    }
    return { exitCode: outcome.exitCode };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    await Promise.all([rm(pidFile, { force: true }), rm(launcher, { force: true })]);
  }
}

/**
 * The pod's node when it is a kwok fake node (as in the dev cluster), whose pods are reported Running but never run:
 * exec cannot work there, and saying so saves a search. Undefined otherwise, or when the node cannot be read (reading
 * nodes is cluster-scoped and the executor's user may not be allowed to).
 */
async function fakeNodeOf(client: KubeClient, target: ExecTarget): Promise<string | undefined> {
  try {
    const pod = await client.core.readNamespacedPod({ name: target.pod, namespace: target.namespace });
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return undefined;
    const node = await client.core.readNode({ name: nodeName });
    return node.metadata?.annotations?.['kwok.x-k8s.io/node'] === undefined ? undefined : nodeName;
  } catch {
    return undefined;
  }
}

/** Kills the step's process group from a second exec; a pod that is already gone has nothing left to kill. */
async function killStep(client: KubeClient, target: ExecTarget, pidFile: string): Promise<void> {
  try {
    const kill = await execInPod(client.kc, client.server, target, ['sh', '-c', killScript, pidFile], () => {});
    await kill.done;
  } catch {
    // The pod is gone (disposed meanwhile): so is the step.
  }
}
