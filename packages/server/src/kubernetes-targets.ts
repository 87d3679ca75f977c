import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SlipwayError, type Store } from '@slipway/core';
import { createSecretResolver, type SecretBox } from '@slipway/engine';
import type { KubernetesTarget } from '@slipway/driver-kubernetes';

/**
 * Resolves an environment to its Kubernetes target: the namespace (default: the environment's name), and the cluster
 * as the kubeconfig in the secret the target names (project, then global), or the server's own kubeconfig.
 */
export function kubernetesTargets(store: Store, secretBox: SecretBox, dataDir: string): (environmentId: string) => Promise<KubernetesTarget> {
  const secrets = createSecretResolver(store, secretBox);
  /** The server's own kubeconfig (null: client-node's default), else the dev cluster of this data dir (`slipway dev-cluster up`). */
  const own = (envName: string): string | null => {
    if (process.env.KUBECONFIG || process.env.KUBERNETES_SERVICE_HOST || existsSync(join(homedir(), '.kube', 'config'))) return null;
    const dev = join(dataDir, 'dev-cluster', 'kubeconfig');
    if (existsSync(dev)) return readFileSync(dev, 'utf8');
    throw new SlipwayError('SLW_KUBERNETES_FAILED', `environment ${envName} runs on Kubernetes, but this server has no kubeconfig`, { hint: "Set KUBECONFIG for the server, name a kubeconfig secret in the target's `cluster`, or start a local cluster with `slipway dev-cluster up`." });
  };
  return async (environmentId) => {
    const env = await store.getEnvironment(environmentId);
    if (!env) throw new SlipwayError('SLW_NOT_FOUND', `environment ${environmentId} does not exist`);
    const target = env.target;
    let kubeconfig: string | null = target.cluster ? null : own(env.name);
    if (target.cluster) {
      kubeconfig = (await secrets.resolve(env.projectId, [target.cluster]))[target.cluster] ?? null;
      if (kubeconfig === null) {
        throw new SlipwayError('SLW_SECRET_MISSING', `secret ${target.cluster} (the kubeconfig of environment ${env.name}) is not set`, { hint: `Set it with \`slipway secrets set ${target.cluster} --project <project> < kubeconfig.yaml\`.` });
      }
    }
    return { namespace: target.namespace ?? env.name, kubeconfig, ...(target.context ? { context: target.context } : {}) };
  };
}
