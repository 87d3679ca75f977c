export { createEngine, type Engine, type EngineOptions } from './engine.js';
export { createEventBus, type EventBus, type EventListener } from './events/event-bus.js';
export { createWorker, type Worker, type JobHandler } from './scheduler/worker.js';
export { silentLogger, type Logger } from './logger.js';
export { assessEnvironment } from './deploy/environment-reconciler.js';
export { renderDesiredState, releaseOrder } from './deploy/desired-state.js';
export { literalPrefix } from './flow/revision.js';
export { createSecretBox, type SecretBox, type SecretBoxOptions } from './secrets/secret-box.js';
export { createSecretResolver, type SecretResolver } from './secrets/secret-resolver.js';
