export { runTargetDriverConformance, writeConformanceServer, type ConformanceArtifactBody, type TargetDriverConformanceSetup } from './target-driver-conformance.js';
export { serviceUnavailable, servicesRequired, hasBinary } from './services.js';
export { runExecutorConformance, type ExecutorConformanceSetup } from './executor-conformance.js';
