import { SlipwayError } from '@slipway/core';
import type { KubernetesExecutorOptions } from '@slipway/executor-kubernetes';

type Toleration = NonNullable<KubernetesExecutorOptions['tolerations']>[number];
type ImagePullPolicy = NonNullable<KubernetesExecutorOptions['imagePullPolicy']>;

/** The Kubernetes executor of a server: for jobs with `runs-on: kubernetes`. */
export interface KubernetesExecutorSettings {
  /** A kubeconfig file's path, or its YAML text. */
  kubeconfig: string;
  context?: string;
  /** Default `slipway-ci`. */
  namespace?: string;
  /** The job image of a job without `container:`. */
  image?: string;
  /** Pins job pods to nodes, e.g. `{ 'kubernetes.io/hostname': 'slipway-node' }` for the dev cluster's real node. */
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  imagePullPolicy?: ImagePullPolicy;
}

/**
 * The settings of the server's Kubernetes executor: the server option, else SLIPWAY_KUBECONFIG (with SLIPWAY_KUBE_CONTEXT,
 * SLIPWAY_CI_NAMESPACE, SLIPWAY_CI_IMAGE, SLIPWAY_CI_NODE_SELECTOR, SLIPWAY_CI_TOLERATIONS and
 * SLIPWAY_CI_IMAGE_PULL_POLICY). Undefined when neither is given: the server then has no Kubernetes executor.
 */
export function kubernetesExecutorSettings(option: KubernetesExecutorSettings | undefined, env: NodeJS.ProcessEnv): KubernetesExecutorOptions | undefined {
  const kubeconfig = option?.kubeconfig ?? env.SLIPWAY_KUBECONFIG;
  if (!kubeconfig) return undefined;
  const context = option?.context ?? env.SLIPWAY_KUBE_CONTEXT;
  const image = option?.image ?? env.SLIPWAY_CI_IMAGE;
  const nodeSelector = option?.nodeSelector ?? (env.SLIPWAY_CI_NODE_SELECTOR ? parseNodeSelector(env.SLIPWAY_CI_NODE_SELECTOR) : undefined);
  const tolerations = option?.tolerations ?? (env.SLIPWAY_CI_TOLERATIONS ? parseTolerations(env.SLIPWAY_CI_TOLERATIONS) : undefined);
  const imagePullPolicy = option?.imagePullPolicy ?? (env.SLIPWAY_CI_IMAGE_PULL_POLICY ? parsePullPolicy(env.SLIPWAY_CI_IMAGE_PULL_POLICY) : undefined);
  return {
    kubeconfig,
    namespace: option?.namespace ?? env.SLIPWAY_CI_NAMESPACE ?? 'slipway-ci',
    ...(context ? { context } : {}),
    ...(image ? { image } : {}),
    ...(nodeSelector ? { nodeSelector } : {}),
    ...(tolerations ? { tolerations } : {}),
    ...(imagePullPolicy ? { imagePullPolicy } : {}),
  };
}

const items = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** `key=value[,key=value]`, as `kubectl get -l` writes a selector. */
function parseNodeSelector(value: string): Record<string, string> {
  const selector: Record<string, string> = {};
  for (const item of items(value)) {
    const match = /^([^=\s]+)=([^=\s]*)$/.exec(item);
    if (!match) throw new SlipwayError('SLW_USAGE', `SLIPWAY_CI_NODE_SELECTOR: "${item}" is not key=value`, { hint: 'Example: SLIPWAY_CI_NODE_SELECTOR=kubernetes.io/hostname=slipway-node' });
    selector[match[1]!] = match[2]!;
  }
  return selector;
}

/** `key[=value]:Effect[,...]`, as `kubectl taint` writes a taint: tolerates that taint (`key:Effect` any value). */
function parseTolerations(value: string): Toleration[] {
  return items(value).map((item) => {
    const match = /^([^=:\s]+)(?:=([^:\s]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(item);
    if (!match) throw new SlipwayError('SLW_USAGE', `SLIPWAY_CI_TOLERATIONS: "${item}" is not key[=value]:NoSchedule|PreferNoSchedule|NoExecute`, { hint: 'Example: SLIPWAY_CI_TOLERATIONS=slipway.dev/real-node=true:NoSchedule' });
    const [, key, taintValue, effect] = match;
    return taintValue === undefined ? { key: key!, operator: 'Exists', effect: effect! } : { key: key!, operator: 'Equal', value: taintValue, effect: effect! };
  });
}

function parsePullPolicy(value: string): ImagePullPolicy {
  if (value === 'Always' || value === 'IfNotPresent' || value === 'Never') return value;
  throw new SlipwayError('SLW_USAGE', `SLIPWAY_CI_IMAGE_PULL_POLICY: "${value}" is not Always, IfNotPresent or Never`);
}
