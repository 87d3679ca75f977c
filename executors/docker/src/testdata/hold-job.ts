// A run that gets killed: prepares a Docker job with a service, prints the job id, and runs a step that never ends.
// docker-executor.test.ts SIGKILLs this process to leave orphans behind, as a crashed server would.
import type { ContainerSpec } from '@slipway/core';
import { createDockerExecutor } from '../docker-executor.js';

const [id, workspace, temp, service] = process.argv.slice(2) as [string, string, string, string];
const executor = createDockerExecutor();
const job = await executor.prepareJob({ id, workspace, temp, services: { web: JSON.parse(service) as ContainerSpec } }, new AbortController().signal);
process.stdout.write(`ready ${job.container.id}\n`);
await job.runStep({ command: 'sleep 600', shell: 'sh', cwd: workspace, env: {}, timeoutMs: 600_000 }, () => {}, new AbortController().signal);
