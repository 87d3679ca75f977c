export { createGitSource, type GitSourceOptions } from './git-source.js';
export { redactUrl } from './redact.js';
export type { GitCredentials } from './credentials.js';
