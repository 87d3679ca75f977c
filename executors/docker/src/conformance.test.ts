import { runExecutorConformance } from '@slipway/testkit';
import { describe } from 'vitest';
import { createDockerExecutor } from './docker-executor.js';
import { dockerUnavailable } from './docker-test-probe.js';

describe.skipIf(dockerUnavailable())('docker', () => {
  runExecutorConformance('docker', async () => ({ executor: createDockerExecutor(), cleanup: async () => {} }));
});
