import type { Health } from '@slipway/core';
import type { KubeObject } from './objects.js';

export interface ObjectHealth {
  health: Health;
  message: string | null;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

const conditions = (o: KubeObject): Condition[] => ((o.status?.conditions as Condition[] | undefined) ?? []).filter((c) => c && typeof c.type === 'string');
const condition = (o: KubeObject, type: string) => conditions(o).find((c) => c.type === type);
const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const ok: ObjectHealth = { health: 'healthy', message: null };
const progressing = (message: string): ObjectHealth => ({ health: 'progressing', message });
const degraded = (message: string): ObjectHealth => ({ health: 'degraded', message });

/** The controller has not seen the newest spec yet. */
function stale(o: KubeObject): boolean {
  const observed = o.status?.observedGeneration;
  return typeof observed === 'number' && typeof o.metadata.generation === 'number' && observed < o.metadata.generation;
}

/**
 * The health of one live object, in Slipway's closed vocabulary, by kind: workloads by their rollout status, Jobs and
 * PVCs by phase, LoadBalancer Services by their address, and anything else (custom resources) by its status
 * conditions (Ready, Available, Healthy; Stalled, Reconciling) and observedGeneration, as kstatus reads them.
 */
export function objectHealth(o: KubeObject | undefined): ObjectHealth {
  if (!o) return { health: 'missing', message: null };
  if (o.metadata.deletionTimestamp) return progressing('being deleted');
  switch (o.kind) {
    case 'Deployment':
      return deploymentHealth(o);
    case 'StatefulSet':
      return statefulSetHealth(o);
    case 'DaemonSet':
      return daemonSetHealth(o);
    case 'ReplicaSet':
      return replicasReady(o, num(o.spec?.replicas ?? 1), num(o.status?.readyReplicas));
    case 'Job':
      return jobHealth(o);
    case 'Pod':
      return podHealth(o);
    case 'Service':
      return serviceHealth(o);
    case 'Ingress':
      return ((o.status?.loadBalancer as { ingress?: unknown[] } | undefined)?.ingress?.length ?? 0) > 0 ? ok : { health: 'healthy', message: 'no address yet (is an ingress controller running?)' };
    case 'PersistentVolumeClaim':
      return o.status?.phase === 'Bound' ? ok : o.status?.phase === 'Lost' ? degraded('claim lost its volume') : progressing(`claim is ${String(o.status?.phase ?? 'Pending')}`);
    case 'HorizontalPodAutoscaler': {
      const able = condition(o, 'AbleToScale');
      if (able?.status === 'False') return degraded(`cannot scale: ${able.message ?? able.reason ?? ''}`);
      const active = condition(o, 'ScalingActive');
      return active?.status === 'False' ? { health: 'healthy', message: `not scaling: ${active.reason ?? ''} ${active.message ?? ''}`.trim() } : ok;
    }
    case 'ConfigMap':
    case 'Secret':
    case 'ServiceAccount':
    case 'Role':
    case 'RoleBinding':
    case 'ClusterRole':
    case 'ClusterRoleBinding':
    case 'Namespace':
    case 'NetworkPolicy':
    case 'PodDisruptionBudget':
    case 'CustomResourceDefinition':
      return ok;
    default:
      return conditionsHealth(o);
  }
}

function deploymentHealth(o: KubeObject): ObjectHealth {
  if (o.spec?.paused) return { health: 'suspended', message: 'rollout is paused' };
  const progress = condition(o, 'Progressing');
  if (progress?.reason === 'ProgressDeadlineExceeded') return degraded(`rollout did not finish within its progress deadline: ${progress.message ?? ''}`.trim());
  if (stale(o)) return progressing('waiting for the controller to see the new spec');
  const want = num(o.spec?.replicas ?? 1);
  const updated = num(o.status?.updatedReplicas);
  const total = num(o.status?.replicas);
  const available = num(o.status?.availableReplicas);
  if (updated < want) return progressing(`${updated} of ${want} replicas updated`);
  if (total > updated) return progressing(`${total - updated} old replicas pending termination`);
  if (available < updated) return progressing(`${available} of ${updated} updated replicas available`);
  return ok;
}

function statefulSetHealth(o: KubeObject): ObjectHealth {
  if (stale(o)) return progressing('waiting for the controller to see the new spec');
  const want = num(o.spec?.replicas ?? 1);
  const ready = num(o.status?.readyReplicas);
  if (ready < want) return progressing(`${ready} of ${want} replicas ready`);
  const strategy = (o.spec?.updateStrategy as { type?: string } | undefined)?.type ?? 'RollingUpdate';
  if (strategy === 'RollingUpdate' && o.status?.updateRevision && o.status.currentRevision !== o.status.updateRevision) return progressing('rolling update in progress');
  return ok;
}

function daemonSetHealth(o: KubeObject): ObjectHealth {
  if (stale(o)) return progressing('waiting for the controller to see the new spec');
  const want = num(o.status?.desiredNumberScheduled);
  const updated = num(o.status?.updatedNumberScheduled);
  const available = num(o.status?.numberAvailable);
  if (updated < want) return progressing(`${updated} of ${want} pods updated`);
  if (available < want) return progressing(`${available} of ${want} pods available`);
  return ok;
}

function replicasReady(o: KubeObject, want: number, ready: number): ObjectHealth {
  if (stale(o)) return progressing('waiting for the controller to see the new spec');
  return ready < want ? progressing(`${ready} of ${want} replicas ready`) : ok;
}

function jobHealth(o: KubeObject): ObjectHealth {
  const failed = condition(o, 'Failed');
  if (failed?.status === 'True') return degraded(`job failed: ${failed.reason ?? ''} ${failed.message ?? ''}`.trim());
  if (condition(o, 'Complete')?.status === 'True') return ok;
  if (o.spec?.suspend) return { health: 'suspended', message: 'job is suspended' };
  return progressing(`${num(o.status?.active)} pods running, ${num(o.status?.succeeded)} succeeded`);
}

interface ContainerStatus {
  restartCount?: number;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { exitCode?: number; reason?: string } };
  lastState?: { terminated?: { exitCode?: number; reason?: string } };
}

function podHealth(o: KubeObject): ObjectHealth {
  const phase = String(o.status?.phase ?? 'Pending');
  if (phase === 'Succeeded') return ok;
  if (phase === 'Failed') return degraded(`pod failed: ${String(o.status?.reason ?? o.status?.message ?? '')}`);
  const statuses = (o.status?.containerStatuses as ContainerStatus[] | undefined) ?? [];
  // A container that exited with an error (and is restarted, or about to be) crashes: no need to wait for the back-off.
  const exited = statuses.map((c) => c.state?.terminated ?? (c.restartCount ? c.lastState?.terminated : undefined)).find((t) => t && t.exitCode !== 0);
  if (exited) return degraded(`container exited with code ${exited.exitCode}${exited.reason ? ` (${exited.reason})` : ''}`);
  const waiting = statuses.map((c) => c.state?.waiting).find((w) => w?.reason && w.reason !== 'ContainerCreating');
  if (waiting) return degraded(`${waiting.reason}: ${waiting.message ?? ''}`.trim());
  if (phase === 'Running' && condition(o, 'Ready')?.status === 'True') return ok;
  return progressing(`pod is ${phase}${phase === 'Running' ? ', not ready' : ''}`);
}

function serviceHealth(o: KubeObject): ObjectHealth {
  if (o.spec?.type !== 'LoadBalancer') return ok;
  const ingress = (o.status?.loadBalancer as { ingress?: unknown[] } | undefined)?.ingress ?? [];
  return ingress.length > 0 ? ok : progressing('waiting for a load balancer address');
}

/** Custom resources: the conventions most controllers follow (kstatus). No status at all: healthy, nothing to wait for. */
function conditionsHealth(o: KubeObject): ObjectHealth {
  if (stale(o)) return progressing('waiting for the controller to see the new spec');
  const stalled = condition(o, 'Stalled');
  if (stalled?.status === 'True') return degraded(`stalled: ${stalled.message ?? stalled.reason ?? ''}`.trim());
  const reconciling = condition(o, 'Reconciling');
  if (reconciling?.status === 'True') return progressing(`reconciling: ${reconciling.message ?? reconciling.reason ?? ''}`.trim());
  for (const type of ['Ready', 'Available', 'Healthy', 'Succeeded']) {
    const c = condition(o, type);
    if (!c) continue;
    if (c.status === 'True') return ok;
    if (c.status === 'Unknown') return progressing(`${type} is Unknown${c.message ? `: ${c.message}` : ''}`);
    return degraded(`${type} is False: ${c.message ?? c.reason ?? ''}`.trim());
  }
  return ok;
}
