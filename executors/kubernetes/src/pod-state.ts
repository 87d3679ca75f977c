import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';

/** Where a job pod is on its way to running its steps. */
export type PodState = { kind: 'running' } | { kind: 'waiting'; why: string } | { kind: 'failed'; why: string; container?: string };

/**
 * Waiting reasons that will not clear by themselves. ErrImagePull is not among them (the kubelet tries again, and
 * reports ImagePullBackOff after the first failure); the rest need a change to the workflow or the cluster.
 */
const stuck = new Set(['ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

/**
 * Reads a pod's status: running once every container runs and is ready (a service with `--health-cmd` is ready when
 * its probe passes, as GitHub Actions waits for a healthy service); failed when a container stopped or cannot start;
 * else waiting, with the reason the scheduler or the kubelet gives. Pure.
 */
export function assessPod(pod: V1Pod): PodState {
  const status = pod.status;
  const statuses = [...(status?.containerStatuses ?? [])];
  for (const c of statuses) {
    const terminated = c.state?.terminated;
    if (terminated) {
      const detail = [terminated.reason, terminated.message?.trim()].filter(Boolean).join(': ');
      return { kind: 'failed', container: c.name, why: `the container ${c.name} (${c.image}) exited with code ${terminated.exitCode}${detail ? ` (${detail})` : ''}` };
    }
    const waiting = c.state?.waiting;
    if (waiting?.reason && stuck.has(waiting.reason)) {
      return { kind: 'failed', container: c.name, why: `the container ${c.name} cannot start: ${waiting.reason}${waiting.message ? `: ${waiting.message.trim()}` : ''}` };
    }
  }
  if (status?.phase === 'Failed' || status?.phase === 'Succeeded') {
    return { kind: 'failed', why: `the pod stopped (phase ${status.phase}${status.reason ? `, ${status.reason}` : ''}${status.message ? `: ${status.message}` : ''})` };
  }
  const expected = pod.spec?.containers.length ?? 0;
  if (status?.phase === 'Running' && statuses.length === expected && statuses.every((c) => c.ready && c.state?.running)) return { kind: 'running' };
  const scheduled = status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') return { kind: 'waiting', why: `not scheduled: ${scheduled.reason ?? ''}${scheduled.message ? `: ${scheduled.message}` : ''}`.trim() };
  const waiting = statuses.filter((c) => !c.ready).map((c) => `${c.name}: ${c.state?.waiting?.reason ?? (c.state?.running ? 'not ready' : 'not started')}${c.state?.waiting?.message ? ` (${c.state.waiting.message.trim()})` : ''}`);
  return { kind: 'waiting', why: `phase ${status?.phase ?? 'unknown'}${waiting.length ? `; ${waiting.join('; ')}` : ''}` };
}

/** The last events of a pod, oldest first, one line each: what `kubectl describe pod` shows at the bottom. */
export function formatEvents(events: CoreV1Event[], max = 10): string {
  const time = (e: CoreV1Event) => new Date(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? 0).getTime();
  return [...events]
    .sort((a, b) => time(a) - time(b))
    .slice(-max)
    .map((e) => `  ${e.type ?? 'Normal'} ${e.reason ?? ''}: ${(e.message ?? '').trim()}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}`)
    .join('\n');
}
