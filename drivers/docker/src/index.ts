export { createDockerDriver, type DockerDriver, type DockerDriverOptions } from './driver.js';
