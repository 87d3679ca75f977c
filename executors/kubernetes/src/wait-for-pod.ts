import { SlipwayError } from '@slipway/core';
import { kubeCall, type KubeClient } from './kube-client.js';
import { assessPod, formatEvents } from './pod-state.js';

/**
 * Polls the job pod until it runs with every container ready. A pod that cannot start (an image that cannot be pulled,
 * a container that exited) fails at once; one that is still waiting when the time is up (unschedulable, a slow pull)
 * fails then. Either error carries the pod's events, and a stopped container's last log lines.
 */
export async function waitForPod(client: KubeClient, namespace: string, name: string, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  for (;;) {
    signal.throwIfAborted();
    const pod = await kubeCall(client, `read the pod ${name} in namespace ${namespace}`, () => client.core.readNamespacedPod({ name, namespace }));
    const state = assessPod(pod);
    if (state.kind === 'running') return;
    const timedOut = Date.now() >= deadline;
    if (state.kind === 'failed' || timedOut) {
      const why = state.kind === 'failed' ? state.why : `it did not start within ${Math.round(timeoutMs / 1000)}s: ${state.why}`;
      const logs = state.kind === 'failed' && state.container ? await lastLogLines(client, namespace, name, state.container) : '';
      const events = await podEvents(client, namespace, name);
      throw new SlipwayError('SLW_RUN_FAILED', `the job pod ${namespace}/${name}: ${why}${logs ? `\nlast output of ${state.kind === 'failed' ? state.container : ''}:\n${logs}` : ''}${events ? `\nevents:\n${events}` : ''}`, {
        hint:
          state.kind === 'failed'
            ? 'Check the image names of `container:` and `services:` and that the nodes can pull them (kubectl describe pod).'
            : 'Check that a node can take the pod (resources, node selector, taints) and that its images can be pulled: kubectl describe pod.',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, deadline - Date.now())));
    delay = Math.min(delay * 2, 1000);
  }
}

/** The pod's events, formatted; empty when they cannot be read (events are a diagnosis, never the failure). */
async function podEvents(client: KubeClient, namespace: string, name: string): Promise<string> {
  try {
    const list = await client.core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${name}` });
    return formatEvents(list.items);
  } catch {
    return '';
  }
}

async function lastLogLines(client: KubeClient, namespace: string, name: string, container: string): Promise<string> {
  try {
    return (await client.core.readNamespacedPodLog({ namespace, name, container, tailLines: 20 })).trim();
  } catch {
    return '';
  }
}
