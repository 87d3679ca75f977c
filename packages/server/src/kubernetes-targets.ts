import { SlipwayError, type Store } from '@slipway/core';
import { createSecretResolver, type SecretBox } from '@slipway/engine';
import type { KubernetesTarget } from '@slipway/driver-kubernetes';

/**
 * Resolves an environment to its Kubernetes target: the namespace (default: the environment's name), and the cluster
 * as the kubeconfig in the secret the target names (project, then global), or the server's own kubeconfig.
 */
export function kubernetesTargets(store: Store, secretBox: SecretBox): (environmentId: string) => Promise<KubernetesTarget> {
  const secrets = createSecretResolver(store, secretBox);
  return async (environmentId) => {
    const env = await store.getEnvironment(environmentId);
    if (!env) throw new SlipwayError('SLW_NOT_FOUND', `environment ${environmentId} does not exist`);
    const target = env.target;
    let kubeconfig: string | null = null;
    if (target.cluster) {
      kubeconfig = (await secrets.resolve(env.projectId, [target.cluster]))[target.cluster] ?? null;
      if (kubeconfig === null) {
        throw new SlipwayError('SLW_SECRET_MISSING', `secret ${target.cluster} (the kubeconfig of environment ${env.name}) is not set`, { hint: `Set it with \`slipway secrets set ${target.cluster} --project <project> < kubeconfig.yaml\`.` });
      }
    }
    return { namespace: target.namespace ?? env.name, kubeconfig, ...(target.context ? { context: target.context } : {}) };
  };
}
