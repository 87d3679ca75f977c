import { parseGithubLike } from './github.js';
import { parseGitlab } from './gitlab.js';
import type { Json, WebhookNotice } from './notice.js';

export const gitHostKinds = ['github', 'gitlab', 'gitea'] as const;
export type GitHostKind = (typeof gitHostKinds)[number];

interface HostSpec {
  /** Headers naming the event and the delivery, lower case, first present wins. */
  eventHeaders: string[];
  deliveryHeaders: string[];
  parse(event: string, payload: Json): WebhookNotice;
}

/** How each host names its event and delivery, and how its payloads read. */
export const hostSpecs: Record<GitHostKind, HostSpec> = {
  github: { eventHeaders: ['x-github-event'], deliveryHeaders: ['x-github-delivery'], parse: (e, p) => parseGithubLike(e, p, 'github') },
  gitlab: { eventHeaders: ['x-gitlab-event'], deliveryHeaders: ['x-gitlab-event-uuid'], parse: (_e, p) => parseGitlab(p) },
  gitea: { eventHeaders: ['x-gitea-event', 'x-forgejo-event'], deliveryHeaders: ['x-gitea-delivery', 'x-forgejo-delivery'], parse: (e, p) => parseGithubLike(e, p, 'gitea') },
};
