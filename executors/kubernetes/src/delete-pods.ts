import { hostname } from 'node:os';
import type { V1Pod } from '@kubernetes/client-node';
import { ignoreNotFound, kubeCall, type KubeClient } from './kube-client.js';
import { jobLabel, managedByLabel, managedByValue, ownerAnnotation } from './names.js';
import { isProcessAlive } from '@slipway/core';

/** How long to wait for a deleted pod to disappear from the API. */
const goneTimeoutMs = 60_000;

/**
 * Deletes a job pod at once (grace period 0: a job's steps are done or cancelled) and waits until the API no longer
 * has it, so that a job id reused at once (a retried attempt) never meets its old pod. A pod already gone counts as
 * deleted: deleting twice, or from two places at once, is safe.
 */
export async function deletePod(client: KubeClient, namespace: string, name: string): Promise<boolean> {
  const deleted = await kubeCall(client, `delete the pod ${name} in namespace ${namespace}`, () =>
    ignoreNotFound(() => client.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 })),
  );
  const deadline = Date.now() + goneTimeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    const pod = await kubeCall(client, `read the pod ${name} in namespace ${namespace}`, () => ignoreNotFound(() => client.core.readNamespacedPod({ name, namespace })));
    // A pod of the same name with another uid is a new one (the same job prepared again): not ours to wait for.
    if (!pod || (deleted?.metadata?.uid && pod.metadata?.uid !== deleted.metadata.uid)) return deleted !== undefined;
    if (Date.now() > deadline) {
      throw new Error(`the pod ${namespace}/${name} was deleted but is still there after ${goneTimeoutMs / 1000}s (finalizers: ${pod.metadata?.finalizers?.join(', ') || 'none'})`);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/**
 * Whether a pod was left behind by a crashed run: its owner annotation names a process on this host that is dead.
 * Pods of live processes (a second server, a parallel test) and pods made from another host are left alone; a pod
 * without an owner is Slipway's and nobody's, so it goes. Pure apart from the process check.
 */
export function isOrphan(pod: V1Pod, host = hostname(), alive: (pid: number) => boolean = isProcessAlive): boolean {
  const owner = pod.metadata?.annotations?.[ownerAnnotation];
  if (owner === undefined) return true;
  const slash = owner.lastIndexOf('/');
  if (owner.slice(0, slash) !== host) return false;
  return !alive(Number(owner.slice(slash + 1)));
}

/** Deletes every Slipway job pod in the namespace that {@link isOrphan} says was left behind; returns how many. */
export async function deleteOrphans(client: KubeClient, namespace: string): Promise<number> {
  const list = await kubeCall(client, `list the job pods in namespace ${namespace}`, () =>
    client.core.listNamespacedPod({ namespace, labelSelector: `${managedByLabel}=${managedByValue},${jobLabel}` }),
  );
  const orphans = list.items.filter((pod) => isOrphan(pod));
  await Promise.all(orphans.map((pod) => deletePod(client, namespace, pod.metadata!.name!)));
  return orphans.length;
}

