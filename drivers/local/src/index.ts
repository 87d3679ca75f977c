export { createLocalDriver, type LocalDriver, type LocalDriverOptions } from './driver.js';
// Building blocks other targets share: the stable-port proxy and the health probe.
export { startServiceProxy, type ServiceProxy } from './proxy.js';
export { probeHealth, waitForHealth, type WaitOutcome } from './health-probe.js';
export { describeExit, type ExitInfo } from './instance.js';
export { totalsOf, latencyBuckets, type TrafficRecorder, type TrafficSample } from './traffic.js';
export { createTwoVersionTraffic, type TwoVersionRuntime, type TwoVersionTarget } from './two-versions.js';
