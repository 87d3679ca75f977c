export { createDockerImageBuilder } from './docker-image-builder.js';
