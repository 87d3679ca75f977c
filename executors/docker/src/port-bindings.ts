import { SlipwayError } from '@slipway/core';

/** The Engine API's port fields for a container's `ports:` list. */
export interface PortBindings {
  ExposedPorts: Record<string, object>;
  PortBindings: Record<string, { HostIp: string; HostPort: string }[]>;
}

/**
 * Reads `ports:` entries in `docker run -p` syntax (`[ip:][hostPort:]containerPort[/proto]`). A port without a host
 * port is published on a random free port, and without an address on 127.0.0.1 only: a CI sidecar is for the job, not
 * for the network.
 */
export function portBindings(ports: readonly (string | number)[] | undefined, where: string): PortBindings {
  const result: PortBindings = { ExposedPorts: {}, PortBindings: {} };
  for (const entry of ports ?? []) {
    const match = /^(?:(?:(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(\d{1,5})?:)?(\d{1,5})(?:\/(tcp|udp|sctp))?$/.exec(String(entry).trim());
    if (!match) {
      throw new SlipwayError('SLW_WORKFLOW_INVALID', `${where}: ${JSON.stringify(entry)} is not a port (use 8080, 80:8080 or 127.0.0.1:80:8080)`, { path: where });
    }
    const [, ip, hostPort, containerPort, proto] = match;
    const key = `${containerPort}/${proto ?? 'tcp'}`;
    result.ExposedPorts[key] = {};
    (result.PortBindings[key] ??= []).push({ HostIp: ip?.replace(/^\[|\]$/g, '') ?? '127.0.0.1', HostPort: hostPort ?? '' });
  }
  return result;
}

/**
 * The `ports` of the `job.services` context from a container's inspect data: container port → published host port.
 * TCP ports are keyed by number alone, as GitHub shows them; other protocols keep their suffix.
 */
export function publishedPorts(ports: Record<string, { HostIp: string; HostPort: string }[] | null> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, bindings] of Object.entries(ports ?? {})) {
    const binding = bindings?.[0];
    if (binding) result[key.replace(/\/tcp$/, '')] = binding.HostPort;
  }
  return result;
}
