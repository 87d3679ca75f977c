import { describe } from 'vitest';
import { createDockerExecutor } from '@slipway/executor-docker';
// The probe is a test helper of the Docker executor, not part of its public surface.
import { dockerUnavailable } from '../../executors/docker/src/docker-test-probe.js';
import { describeConformance } from './describe-conformance.js';

// dockerUnavailable() throws under SLIPWAY_REQUIRE_SERVICES=1, so a missing daemon fails the suite instead of skipping it.
describe.skipIf(dockerUnavailable())('docker', () => {
  describeConformance('docker', () => createDockerExecutor());
});
