import { createHash } from 'node:crypto';
import type { V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { SlipwayError } from '@slipway/core';

export interface PodVolumes {
  volumes: V1Volume[];
  mounts: V1VolumeMount[];
}

const volumeName = (prefix: string, path: string) => `${prefix}-${createHash('sha256').update(path).digest('hex').slice(0, 10)}`;

/**
 * The host directories every job container sees at their own paths (the workspace and the temp directory), as hostPath
 * volumes. That is what makes the Executor port's same-path rule hold, and it holds only where the pod's node is this
 * machine: a single-node or development cluster (ADR 023).
 */
export function sharedHostPaths(paths: string[]): PodVolumes {
  const volumes: V1Volume[] = [];
  const mounts: V1VolumeMount[] = [];
  for (const path of new Set(paths)) {
    const name = volumeName('host', path);
    volumes.push({ name, hostPath: { path, type: 'DirectoryOrCreate' } });
    mounts.push({ name, mountPath: path });
  }
  return { volumes, mounts };
}

/**
 * A container's `volumes:` in `docker run -v` syntax: `/data` alone is an empty scratch directory (an anonymous
 * volume in Docker, an emptyDir here); `/host/path:/path[:ro]` is a host directory (with the same single-node caveat).
 * Named Docker volumes have no counterpart in a pod and are refused.
 */
export function containerVolumes(entries: readonly string[] | undefined, owner: string, where: string): PodVolumes {
  const result: PodVolumes = { volumes: [], mounts: [] };
  for (const entry of entries ?? []) {
    const parts = entry.split(':');
    const [source, target, mode] = parts.length === 1 ? [undefined, parts[0]!, undefined] : parts;
    if (parts.length > 3 || !target?.startsWith('/') || (mode !== undefined && mode !== 'ro' && mode !== 'rw')) {
      throw new SlipwayError('SLW_WORKFLOW_INVALID', `${where}: ${JSON.stringify(entry)} is not a volume (use /path or /host/path:/path[:ro])`, { path: where });
    }
    if (source !== undefined && !source.startsWith('/')) {
      throw new SlipwayError('SLW_WORKFLOW_INVALID', `${where}: the named volume ${JSON.stringify(source)} has no counterpart in a pod`, {
        path: where,
        hint: 'Use /path for a scratch directory or /host/path:/path for a host directory.',
      });
    }
    // Named by a hash of the owner and the entry: a volume name is a DNS-1123 label, whatever the service key's length.
    const name = volumeName('vol', `${owner}:${entry}`);
    result.volumes.push(source === undefined ? { name, emptyDir: {} } : { name, hostPath: { path: source, type: 'DirectoryOrCreate' } });
    result.mounts.push({ name, mountPath: target, ...(mode === 'ro' ? { readOnly: true } : {}) });
  }
  return result;
}
