import { describe, expect, it } from 'vitest';
import { githubRunFor, repositoryFromRemote, type RepoFacts } from './github-context.js';

const facts: RepoFacts = { sha: 'a'.repeat(40), branch: 'feature/x', repository: 'acme/shop', actor: 'ann', message: 'Fix it\n\nbody' };

describe('repositoryFromRemote', () => {
  it.each([
    ['git@github.com:acme/shop.git', 'acme/shop'],
    ['https://github.com/acme/shop', 'acme/shop'],
    ['ssh://git@host:22/acme/shop.git/', 'acme/shop'],
    ['/srv/git/shop.git', 'git/shop'],
    ['nothing', undefined],
  ])('%s', (url, expected) => {
    expect(repositoryFromRemote(url)).toBe(expected);
  });
});

describe('githubRunFor', () => {
  it('gives a push the branch ref and head commit', () => {
    const gh = githubRunFor(facts, 'push', {}, 'run_1');
    expect(gh).toMatchObject({ ref: 'refs/heads/feature/x', refName: 'feature/x', sha: facts.sha, eventName: 'push', runId: 'run_1' });
    expect(gh.event).toMatchObject({ ref: 'refs/heads/feature/x', after: facts.sha, head_commit: { id: facts.sha, message: facts.message } });
  });
  it('gives a pull request its merge ref and head/base', () => {
    const gh = githubRunFor(facts, 'pull_request', {}, 'r');
    expect(gh.ref).toBe('refs/pull/1/merge');
    expect(gh.event).toMatchObject({ action: 'opened', number: 1, pull_request: { head: { ref: 'feature/x' }, base: { ref: 'main' } } });
  });
  it('puts dispatch inputs in the payload as strings', () => {
    expect(githubRunFor(facts, 'workflow_dispatch', { dry: true, n: 2 }, 'r').event).toMatchObject({ inputs: { dry: 'true', n: '2' } });
  });
  it('names a detached HEAD', () => {
    expect(githubRunFor({ ...facts, branch: null }, 'push', {}, 'r').refName).toBe('HEAD');
  });
});
