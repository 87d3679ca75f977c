export { startServer, type ServerOptions, type RunningServer } from './server.js';
export { createApp } from './http/app.js';
export { findWebDir } from './http/static.js';
export { hashToken, newToken } from './auth/tokens.js';
export { isLoopback } from './auth/bind.js';
export { buildStatus } from './status.js';
