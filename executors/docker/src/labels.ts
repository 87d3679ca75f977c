import { hostname } from 'node:os';

/** Every container and network a job makes carries this label, with the job id as its value. */
export const jobLabel = 'dev.slipway.job';

/**
 * Which process made a container or network: `<hostname>/<pid>`. cleanupOrphans removes only what a dead process left
 * behind, so that a server or test starting up does not tear down jobs that another live process is running on the
 * same daemon.
 */
export const ownerLabel = 'dev.slipway.owner';

/** This process's value of {@link ownerLabel}. */
export const ownerValue = `${hostname()}/${process.pid}`;

/** The labels of everything made for one job. */
export function jobLabels(jobId: string): Record<string, string> {
  return { [jobLabel]: jobId, [ownerLabel]: ownerValue };
}

/** A Docker object name from a job id (and a service key): Docker accepts only [a-zA-Z0-9][a-zA-Z0-9_.-]*. */
export function objectName(jobId: string, service?: string): string {
  const clean = (s: string) => s.replace(/[^a-zA-Z0-9_.-]/g, '-');
  return service === undefined ? `slipway-${clean(jobId)}` : `slipway-${clean(jobId)}-${clean(service)}`;
}
