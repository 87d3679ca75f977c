import type { GitHost, GitHostKind } from '@slipway/core';
import { createGiteaHost } from './gitea.js';
import { createGitHubHost } from './github.js';
import { createGitLabHost } from './gitlab.js';
import type { GitHostOptions } from './options.js';

export { createGitHubHost, createGitLabHost, createGiteaHost };
export type { GitHostOptions };

/** One adapter per kind, for the composition root. */
export function createGitHosts(options: GitHostOptions = {}): Record<GitHostKind, GitHost> {
  return { github: createGitHubHost(options), gitlab: createGitLabHost(options), gitea: createGiteaHost(options) };
}
