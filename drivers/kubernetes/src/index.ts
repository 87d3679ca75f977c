export { createKubernetesDriver, type KubernetesDriver, type KubernetesDriverOptions, type KubernetesTarget } from './driver.js';
export { connect, KubeApiError, type KubeClient } from './kube-client.js';
export { objectHealth } from './health.js';
export { loadManifests } from './manifests.js';
