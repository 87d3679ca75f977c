export { createKubernetesExecutor, type KubernetesExecutorOptions } from './kubernetes-executor.js';
export type { PodResources, ResourceAmounts } from './pod-spec.js';
