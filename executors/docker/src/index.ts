export { createDockerExecutor, type DockerExecutorOptions } from './docker-executor.js';
export { createDockerClient, ignoreGone, pingDaemon, statusOf, type DockerClient } from './docker-client.js';
export { dockerUnavailable } from './docker-test-probe.js';
