import type { V1ContainerPort } from '@kubernetes/client-node';
import { SlipwayError } from '@slipway/core';

/**
 * A container's `ports:` in `docker run -p` syntax (`[ip:][hostPort:]containerPort[/proto]`). In a pod every container
 * shares the network namespace, so a step reaches a service on localhost at the container port: the host part of an
 * entry has no meaning and is dropped. `ports` maps container port → the port a step uses, as `job.services` shows it.
 */
export function containerPorts(entries: readonly (string | number)[] | undefined, where: string): { ports: V1ContainerPort[]; reachable: Record<string, string> } {
  const ports: V1ContainerPort[] = [];
  const reachable: Record<string, string> = {};
  for (const entry of entries ?? []) {
    const match = /^(?:(?:(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(?:\d{1,5})?:)?(\d{1,5})(?:\/(tcp|udp|sctp))?$/.exec(String(entry).trim());
    const port = Number(match?.[1]);
    if (!match || port < 1 || port > 65535) {
      throw new SlipwayError('SLW_WORKFLOW_INVALID', `${where}: ${JSON.stringify(entry)} is not a port (use 8080, 80:8080 or 127.0.0.1:80:8080)`, { path: where });
    }
    const protocol = (match[2] ?? 'tcp').toUpperCase();
    if (ports.some((p) => p.containerPort === port && p.protocol === protocol)) continue;
    ports.push({ containerPort: port, protocol });
    // TCP ports are keyed by number alone, as GitHub shows them; other protocols keep their suffix.
    reachable[protocol === 'TCP' ? String(port) : `${port}/${protocol.toLowerCase()}`] = String(port);
  }
  return { ports, reachable };
}
