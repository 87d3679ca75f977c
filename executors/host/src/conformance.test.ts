import { runExecutorConformance } from '@slipway/testkit';
import { createHostExecutor } from './host-executor.js';

runExecutorConformance('host', async () => ({
  executor: createHostExecutor(),
  // The host executor passes exactly the step's environment: without PATH no shell would be found.
  env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  cleanup: async () => {},
}));
