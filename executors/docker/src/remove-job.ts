import { hostname } from 'node:os';
import { ignoreGone, type DockerClient } from './docker-client.js';
import { jobLabel, ownerLabel } from './labels.js';
import { isProcessAlive } from '@slipway/core';

/**
 * Force-removes every container (with its anonymous volumes), then every network, labelled with `label` and accepted
 * by `keep`. Containers go first: Docker refuses to remove a network that still has endpoints. Objects already gone
 * count as removed, so removing twice, or from two places at once, is safe. Returns how many objects were removed.
 */
async function removeLabelled(client: DockerClient, label: string, accept: (labels: Record<string, string>) => boolean): Promise<number> {
  const filters = { label: [label] };
  const containers = (await client.docker.listContainers({ all: true, filters })).filter((c) => accept(c.Labels ?? {}));
  await Promise.all(containers.map((c) => ignoreGone(() => client.docker.getContainer(c.Id).remove({ force: true, v: true }))));
  const networks = (await client.docker.listNetworks({ filters })).filter((n) => accept(n.Labels ?? {}));
  await Promise.all(networks.map((n) => ignoreGone(() => client.docker.getNetwork(n.Id).remove())));
  return containers.length + networks.length;
}

/** Removes the job container, the service containers and the network of one job. */
export function removeJob(client: DockerClient, jobId: string): Promise<number> {
  return removeLabelled(client, `${jobLabel}=${jobId}`, () => true);
}

/**
 * Removes what crashed runs left behind: everything labelled with a job whose owner process on this host is dead.
 * Live jobs of other processes sharing the daemon (a second server, a parallel test file) are left alone; so are
 * objects made from another host, whose processes cannot be checked from here.
 */
export function removeOrphans(client: DockerClient): Promise<number> {
  const host = hostname();
  return removeLabelled(client, jobLabel, (labels) => {
    const owner = labels[ownerLabel];
    if (owner === undefined) return true;
    const slash = owner.lastIndexOf('/');
    if (owner.slice(0, slash) !== host) return false;
    return !isProcessAlive(Number(owner.slice(slash + 1)));
  });
}

