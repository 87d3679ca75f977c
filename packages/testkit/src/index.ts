export { runTargetDriverConformance, writeConformanceServer, type ConformanceArtifactBody, type TargetDriverConformanceSetup } from './target-driver-conformance.js';
export { serviceUnavailable, servicesRequired, hasBinary } from './services.js';
