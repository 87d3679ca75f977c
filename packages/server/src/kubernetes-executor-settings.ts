import type { KubernetesExecutorOptions } from '@slipway/executor-kubernetes';

/** The Kubernetes executor of a server: for jobs with `runs-on: kubernetes`. */
export interface KubernetesExecutorSettings {
  /** A kubeconfig file's path, or its YAML text. */
  kubeconfig: string;
  context?: string;
  /** Default `slipway-ci`. */
  namespace?: string;
  /** The job image of a job without `container:`. */
  image?: string;
}

/**
 * The settings of the server's Kubernetes executor: the server option, else SLIPWAY_KUBECONFIG (with SLIPWAY_KUBE_CONTEXT,
 * SLIPWAY_CI_NAMESPACE and SLIPWAY_CI_IMAGE). Undefined when neither is given: the server then has no Kubernetes executor.
 */
export function kubernetesExecutorSettings(option: KubernetesExecutorSettings | undefined, env: NodeJS.ProcessEnv): KubernetesExecutorOptions | undefined {
  const kubeconfig = option?.kubeconfig ?? env.SLIPWAY_KUBECONFIG;
  if (!kubeconfig) return undefined;
  const context = option?.context ?? env.SLIPWAY_KUBE_CONTEXT;
  const image = option?.image ?? env.SLIPWAY_CI_IMAGE;
  return {
    kubeconfig,
    namespace: option?.namespace ?? env.SLIPWAY_CI_NAMESPACE ?? 'slipway-ci',
    ...(context ? { context } : {}),
    ...(image ? { image } : {}),
  };
}
