export { startDevCluster, type DevCluster, type DevClusterOptions } from './start.js';
export { stopDevCluster } from './stop.js';
export { devClusterStatus, type DevClusterStatus } from './status.js';
export { devClusterBinDir, missingBinaries, kubernetesVersion, requiredBinaries } from './binaries.js';
export { defaultRunnerImage, loadImages, realNodeName, realNodePlacement, realNodeTaint, realNodeUnavailable } from './real-node.js';
