import { createHash } from 'node:crypto';
import { hostname } from 'node:os';

/** Every pod the executor makes carries this label; cleanupOrphans lists pods by it. */
export const managedByLabel = 'app.kubernetes.io/managed-by';
export const managedByValue = 'slipway';
/** The job a pod runs, as a label value (see {@link labelValue}); the exact id is in {@link jobIdAnnotation}. */
export const jobLabel = 'slipway.dev/job';
export const jobIdAnnotation = 'slipway.dev/job-id';
/**
 * Which process made a pod: `<hostname>/<pid>`, an annotation because a label value cannot hold a slash. As with the
 * Docker executor, cleanupOrphans removes only what a dead process on this host left behind.
 */
export const ownerAnnotation = 'slipway.dev/owner';
export const ownerValue = `${hostname()}/${process.pid}`;

const maxLength = 63;
const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

/**
 * Fits `text` into `allowed` characters and 63 characters, starting and ending with a letter or digit. Whenever that
 * loses anything (case, a character, length), a hash of the original is appended, so that two ids never share a name.
 */
function fit(text: string, allowed: RegExp, lower: boolean): string {
  const cleaned = (lower ? text.toLowerCase() : text).replace(allowed, '-').replace(/-{2,}/g, '-').replace(/^[^a-zA-Z0-9]+|[^a-zA-Z0-9]+$/g, '');
  if (cleaned === text && cleaned.length <= maxLength && cleaned.length > 0) return cleaned;
  const suffix = hash(text);
  const head = cleaned.slice(0, maxLength - suffix.length - 1).replace(/[^a-zA-Z0-9]+$/, '');
  return head ? `${head}-${suffix}` : suffix;
}

/** The pod of a job: `slipway-<id>`, a DNS-1123 label (lowercase letters, digits, `-`; at most 63 characters). */
export function podName(jobId: string): string {
  return fit(`slipway-${jobId}`, /[^a-z0-9-]/g, true);
}

/** A label value for a job id: at most 63 of `[A-Za-z0-9._-]`, starting and ending with a letter or digit. */
export function labelValue(jobId: string): string {
  return fit(jobId, /[^a-zA-Z0-9._-]/g, false);
}

/** The container of a service in the job's pod: its key as a DNS-1123 label; `job` is the job container's. */
export function serviceContainerName(key: string): string {
  const name = fit(key, /[^a-z0-9-]/g, true);
  return name === jobContainer ? `${name}-service` : name;
}

/** The container the steps run in. */
export const jobContainer = 'job';
