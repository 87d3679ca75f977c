import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseGithubLike } from './github.js';
import { parseGitlab } from './gitlab.js';
import type { Json } from './notice.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8')) as Json;
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: Json[] }[];
const github = (event: string) => examples.find((e) => e.name === event)!.examples;

describe('GitHub payloads (@octokit/webhooks-examples)', () => {
  it('reads a branch push: branch, new head and every repository URL', () => {
    const push = github('push').find((p) => p.ref === 'refs/heads/master')!;
    const notice = parseGithubLike('push', push);
    expect(notice).toMatchObject({ kind: 'push', branch: 'master', sha: push.after });
    expect(notice.repoUrls).toEqual(expect.arrayContaining(['https://github.com/Codertocat/Hello-World.git', 'git@github.com:Codertocat/Hello-World.git']));
  });

  it('reads the old head and every file the commits touched; a new branch has no old head', () => {
    const push = structuredClone(github('push').find((p) => p.ref === 'refs/heads/master')!) as Json & { commits: Json[] };
    expect(parseGithubLike('push', push)).toMatchObject({ changes: { before: null } });
    push.before = 'a'.repeat(40);
    push.commits = [{ added: ['a.txt'], removed: [], modified: ['b.txt'] }, { added: [], removed: ['a.txt'], modified: ['c/d.txt'] }];
    expect(parseGithubLike('push', push)).toMatchObject({ changes: { before: 'a'.repeat(40), files: ['a.txt', 'b.txt', 'c/d.txt'] } });
    expect(parseGithubLike('push', { ...push, forced: true })).toMatchObject({ changes: { files: null } });
    expect(parseGithubLike('push', { ...push, commits: [{ added: ['a'] }] })).toMatchObject({ changes: { files: null } });
  });

  it('reads a tag push as no branch', () => {
    const tag = github('push').find((p) => p.ref === 'refs/tags/simple-tag' && !p.deleted)!;
    expect(parseGithubLike('push', tag)).toMatchObject({ kind: 'push', branch: null });
  });

  it('reads pull requests: opened, synchronize, closed, others; same-repository ones are no fork', () => {
    const byAction = (a: string) => github('pull_request').find((p) => p.action === a)!;
    const opened = parseGithubLike('pull_request', byAction('opened'));
    const pr = byAction('opened').pull_request as Json & { head: Json; base: Json };
    expect(opened).toMatchObject({ kind: 'pull_request', pr: { number: pr.number, action: 'opened', headSha: pr.head.sha, headRef: pr.head.ref, baseRef: pr.base.ref, fork: false, headRepoUrl: null, url: pr.html_url } });
    expect(parseGithubLike('pull_request', byAction('synchronize'))).toMatchObject({ pr: { action: 'synchronize' } });
    expect(parseGithubLike('pull_request', byAction('closed'))).toMatchObject({ pr: { action: 'closed' } });
    expect(parseGithubLike('pull_request', byAction('labeled'))).toMatchObject({ pr: { action: 'other' } });
  });

  it('marks a pull request from another repository as a fork, with its clone URL', () => {
    const base = structuredClone(github('pull_request').find((p) => p.action === 'opened')!) as Json & { pull_request: { head: { repo: Json } } };
    base.pull_request.head.repo = { ...base.pull_request.head.repo, id: 1, clone_url: 'https://github.com/forker/Hello-World.git' };
    expect(parseGithubLike('pull_request', base)).toMatchObject({ pr: { fork: true, headRepoUrl: 'https://github.com/forker/Hello-World.git' } });
  });

  it('answers ping, and ignores other events and broken payloads', () => {
    expect(parseGithubLike('ping', { zen: 'Keep it logically awesome.' })).toMatchObject({ kind: 'ping' });
    expect(parseGithubLike('issues', {})).toMatchObject({ kind: 'ignored' });
    expect(parseGithubLike('push', { ref: 'refs/heads/main', after: 'nope' })).toMatchObject({ kind: 'ignored' });
    expect(parseGithubLike('pull_request', { action: 'opened', pull_request: {} })).toMatchObject({ kind: 'ignored' });
  });

  it('reads a deleted branch as no commit', () => {
    expect(parseGithubLike('push', { ref: 'refs/heads/x', after: '0'.repeat(40) })).toMatchObject({ kind: 'push', branch: 'x', sha: null });
  });
});

describe('GitLab payloads (documented examples)', () => {
  it('reads a Push Hook with the project and repository URLs', () => {
    const notice = parseGitlab(fixture('gitlab-push.json'));
    expect(notice).toMatchObject({ kind: 'push', branch: 'master', sha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7' });
    expect(notice.repoUrls).toEqual(expect.arrayContaining(['http://example.com/mike/diaspora.git', 'git@example.com:mike/diaspora.git']));
  });

  it('reads a Merge Request Hook: iid, last commit, branches; update with oldrev is synchronize', () => {
    expect(parseGitlab(fixture('gitlab-merge-request.json'))).toMatchObject({
      kind: 'pull_request',
      pr: { number: 1, action: 'synchronize', title: 'MS-Viewport', headSha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7', headRef: 'ms-viewport', baseRef: 'master', fork: false, headRepoUrl: null, author: 'root' },
    });
  });

  it.each([
    ['open', undefined, 'opened'],
    ['reopen', undefined, 'reopened'],
    ['merge', undefined, 'closed'],
    ['close', undefined, 'closed'],
    ['update', undefined, 'other'],
    ['approved', undefined, 'other'],
  ])('maps action %s to %s', (action, oldrev, expected) => {
    const mr = fixture('gitlab-merge-request.json') as Json & { object_attributes: Json };
    mr.object_attributes = { ...mr.object_attributes, action, oldrev };
    expect(parseGitlab(mr)).toMatchObject({ pr: { action: expected } });
  });

  it('marks a merge request from another project as a fork, with its clone URL', () => {
    const mr = fixture('gitlab-merge-request.json') as Json & { object_attributes: Json };
    mr.object_attributes = { ...mr.object_attributes, source_project_id: 99 };
    expect(parseGitlab(mr)).toMatchObject({ pr: { fork: true, headRepoUrl: 'http://example.com/awesome_space/awesome_project.git' } });
  });

  it('lists the changed files only when the payload holds every commit (it keeps 20)', () => {
    const push = fixture('gitlab-push.json');
    expect(parseGitlab(push)).toMatchObject({ changes: { before: '95790bf891e76fee5e1747ab589903a6a1f80f22', files: ['CHANGELOG', 'app/controller/application.rb'] } });
    expect(parseGitlab({ ...push, total_commits_count: 21 })).toMatchObject({ changes: { files: null } });
  });

  it('reads a tag push as no branch and ignores other kinds', () => {
    expect(parseGitlab({ ...fixture('gitlab-push.json'), object_kind: 'tag_push', ref: 'refs/tags/v1' })).toMatchObject({ kind: 'push', branch: null });
    expect(parseGitlab({ object_kind: 'issue' })).toMatchObject({ kind: 'ignored' });
  });
});

describe('Gitea payloads (documented examples)', () => {
  it('reads a push with clone, ssh and html URLs', () => {
    const notice = parseGithubLike('push', fixture('gitea-push.json'), 'gitea');
    expect(notice).toMatchObject({ kind: 'push', branch: 'develop', sha: 'bffeb74224043ba2feb48d137756c8a9331c449a' });
    expect(notice.repoUrls).toEqual(['http://localhost:3000/gitea/webhooks.git', 'ssh://gitea@localhost:2222/gitea/webhooks.git', 'http://localhost:3000/gitea/webhooks']);
  });

  it('lists the changed files only when every commit is in the payload and lists them', () => {
    const push = fixture('gitea-push.json') as Json & { commits: Json[] };
    expect(parseGithubLike('push', push, 'gitea')).toMatchObject({ changes: { before: '28e1879d029cb852e4844d9c718537df08844e03', files: null } });
    const listed = { ...push, total_commits: 1, commits: [{ ...push.commits[0], added: ['x'], removed: [], modified: [] }] };
    expect(parseGithubLike('push', listed, 'gitea')).toMatchObject({ changes: { files: ['x'] } });
    expect(parseGithubLike('push', { ...listed, total_commits: 2 }, 'gitea')).toMatchObject({ changes: { files: null } });
  });

  it('reads a pull request from a fork with new commits (synchronized)', () => {
    expect(parseGithubLike('pull_request', fixture('gitea-pull-request.json'), 'gitea')).toMatchObject({
      kind: 'pull_request',
      pr: { number: 3, action: 'synchronize', headRef: 'feature', baseRef: 'master', fork: true, headRepoUrl: 'http://localhost:3000/contributor/webhooks.git', author: 'contributor', url: 'http://localhost:3000/gitea/webhooks/pulls/3' },
    });
  });
});
