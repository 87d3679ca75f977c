import { existsSync } from 'node:fs';
import { ApiException, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { SlipwayError } from '@slipway/core';

/** The cluster connection of the executor: its kubeconfig (for the exec websocket) and the core API. */
export interface KubeClient {
  kc: KubeConfig;
  core: CoreV1Api;
  /** The API server's URL, for messages. */
  server: string;
}

/**
 * Loads a kubeconfig given as a file path or as YAML text (a path has no newline), and selects `context` when given.
 * Nothing is contacted: the first request of a job says whether the cluster answers.
 */
export function createKubeClient(kubeconfig: string, context?: string): KubeClient {
  const kc = new KubeConfig();
  const inline = kubeconfig.includes('\n');
  try {
    if (inline) kc.loadFromString(kubeconfig);
    else if (existsSync(kubeconfig)) kc.loadFromFile(kubeconfig);
    else throw new Error(`no file ${kubeconfig}`);
    if (context !== undefined) kc.setCurrentContext(context);
  } catch (err) {
    throw new SlipwayError('SLW_CONFIG_INVALID', `the Kubernetes executor's kubeconfig${inline ? '' : ` (${kubeconfig})`} cannot be loaded: ${(err as Error).message}`, {
      cause: err,
      hint: 'Give SLIPWAY_KUBECONFIG the path of a kubeconfig file (or its YAML), and a context that it defines.',
    });
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new SlipwayError('SLW_CONFIG_INVALID', `the Kubernetes executor's kubeconfig has no cluster for context ${JSON.stringify(kc.getCurrentContext())}`);
  return { kc, core: kc.makeApiClient(CoreV1Api), server: cluster.server };
}

/** The HTTP status of a failed API call, or undefined when the call did not reach the API server. */
export function statusOf(err: unknown): number | undefined {
  return err instanceof ApiException ? err.code : undefined;
}

/** The API server's own words for a failed call: the `message` of its Status body, else the error's. */
export function reasonOf(err: unknown): string {
  if (err instanceof ApiException) {
    const body: unknown = err.body;
    try {
      const status = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: string } | undefined;
      if (status?.message) return `${status.message} (HTTP ${err.code})`;
    } catch {
      // Not a Status object: fall through to the exception's message.
    }
    return `HTTP ${err.code}`;
  }
  return (err as Error).message;
}

/** Runs an API call; a failure becomes SLW_KUBERNETES_FAILED naming what was attempted, where. */
export async function kubeCall<T>(client: KubeClient, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const status = statusOf(err);
    throw new SlipwayError('SLW_KUBERNETES_FAILED', `could not ${what} on ${client.server}: ${reasonOf(err)}`, {
      cause: err,
      ...(status === 404 && what.includes('namespace') ? { hint: 'Create the namespace first (kubectl create namespace <name>), or set SLIPWAY_CI_NAMESPACE.' } : {}),
      ...(status === 401 || status === 403 ? { hint: 'The kubeconfig user needs to create, get, list, watch and delete pods, create pods/exec and list events in the namespace.' } : {}),
    });
  }
}

/** Runs a call whose 404 means "already gone" (deleting twice, or from two places at once). */
export async function ignoreNotFound<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}
