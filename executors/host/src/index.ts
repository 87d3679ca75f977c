export { createHostExecutor } from './host-executor.js';
export { runProcess, type ProcessSpec } from './run-process.js';
