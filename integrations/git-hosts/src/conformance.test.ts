import { runGitHostConformance } from '@slipway/testkit';
import { createGitHubHost } from './github.js';
import { createGitLabHost } from './gitlab.js';
import { createGiteaHost } from './gitea.js';

/*
 * Each adapter against a local receiver that answers like its host. The expectations are each host's API reference,
 * written out here rather than derived from the adapters (see README.md for the pages):
 * GitHub https://docs.github.com/en/rest/commits/statuses and /rest/issues/comments;
 * GitLab https://docs.gitlab.com/api/commits/#set-the-pipeline-status-of-a-commit and /api/notes/#merge-requests;
 * Gitea https://docs.gitea.com/api/ (repoCreateStatus, issueCreateComment, issueEditComment).
 */

runGitHostConformance('github', {
  kind: 'github',
  newHost: (o) => createGitHubHost(o),
  repository: 'acme/shop',
  documented: {
    auth: (token) => ['authorization', `Bearer ${token}`],
    status: (repo, s) => ({ method: 'POST', path: `/repos/${repo}/statuses/${s.sha}`, body: { state: s.state, target_url: s.targetUrl, description: s.description, context: s.context } }),
    createComment: (repo, pr, body) => ({ method: 'POST', path: `/repos/${repo}/issues/${pr}/comments`, body: { body } }),
    updateComment: (repo, _pr, id, body) => ({ method: 'PATCH', path: `/repos/${repo}/issues/comments/${id}`, body: { body } }),
  },
});

const gitlabStates = { pending: 'running', success: 'success', failure: 'failed', error: 'canceled' } as const;
runGitHostConformance('gitlab', {
  kind: 'gitlab',
  newHost: (o) => createGitLabHost(o),
  // A nested group: the project path goes URL-encoded into one path segment.
  repository: 'group/sub/shop',
  documented: {
    auth: (token) => ['private-token', token],
    status: (repo, s) => ({ method: 'POST', path: `/projects/${encodeURIComponent(repo)}/statuses/${s.sha}`, body: { state: gitlabStates[s.state], name: s.context, target_url: s.targetUrl, description: s.description } }),
    createComment: (repo, mr, body) => ({ method: 'POST', path: `/projects/${encodeURIComponent(repo)}/merge_requests/${mr}/notes`, body: { body } }),
    updateComment: (repo, mr, id, body) => ({ method: 'PUT', path: `/projects/${encodeURIComponent(repo)}/merge_requests/${mr}/notes/${id}`, body: { body } }),
  },
});

runGitHostConformance('gitea', {
  kind: 'gitea',
  newHost: (o) => createGiteaHost(o),
  repository: 'acme/shop',
  documented: {
    auth: (token) => ['authorization', `token ${token}`],
    status: (repo, s) => ({ method: 'POST', path: `/repos/${repo}/statuses/${s.sha}`, body: { state: s.state, target_url: s.targetUrl, description: s.description, context: s.context } }),
    createComment: (repo, pr, body) => ({ method: 'POST', path: `/repos/${repo}/issues/${pr}/comments`, body: { body } }),
    updateComment: (repo, _pr, id, body) => ({ method: 'PATCH', path: `/repos/${repo}/issues/comments/${id}`, body: { body } }),
  },
});
