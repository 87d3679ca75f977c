export { runTargetDriverConformance, writeConformanceServer, type ConformanceArtifactBody, type TargetDriverConformanceSetup } from './target-driver-conformance.js';
export { runTrafficConformance } from './traffic-conformance.js';
export { serviceUnavailable, servicesRequired, hasBinary, registryUnavailable, testRegistry } from './services.js';
export { kubernetesUnavailable, testKubeconfig, realNodeUnavailable, testRealNode, waitForNodeProxy, type NodeRoute, type TestRealNode } from './kubernetes.js';
export { runExecutorConformance, type ExecutorConformanceSetup } from './executor-conformance.js';
export { startHttpReceiver, type HttpReceiver, type RecordedRequest, type ReceiverReply, type ReceiverHandler } from './http-receiver.js';
export { createGitHostEmulator, type GitHostEmulator, type EmulatedHostState } from './git-host-emulator.js';
export { runGitHostConformance, type GitHostConformanceSetup, type DocumentedRequest } from './git-host-conformance.js';
export { getOnNewConnection } from './http-get.js';
