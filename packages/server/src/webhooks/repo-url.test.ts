import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { projectsForRepo, repoKey } from './repo-url.js';

describe('repoKey', () => {
  it.each([
    ['https://github.com/Octo/Repo.git', 'github.com/octo/repo'],
    ['https://GitHub.com/octo/repo', 'github.com/octo/repo'],
    ['https://user:token@github.com:443/octo/repo/', 'github.com/octo/repo'],
    ['git@github.com:octo/repo.git', 'github.com/octo/repo'],
    ['ssh://git@github.com:22/octo/repo.git', 'github.com/octo/repo'],
    ['git://github.com/octo/repo.git', 'github.com/octo/repo'],
    ['ssh://gitea@localhost:2222/gitea/webhooks.git', 'localhost/gitea/webhooks'],
    ['http://example.com/group/sub/project.git', 'example.com/group/sub/project'],
    ['/srv/git/Repo.git', 'file:/srv/git/Repo'],
    ['/srv/git/Repo/', 'file:/srv/git/Repo'],
    ['file:///srv/git/Repo.git', 'file:/srv/git/Repo'],
  ])('%s → %s', (url, key) => {
    expect(repoKey(url)).toBe(key);
  });

  it.each(['', 'not a url', 'https://github.com/'])('gives undefined for %j', (url) => {
    expect(repoKey(url)).toBeUndefined();
  });
});

describe('projectsForRepo', () => {
  const projects = [
    { name: 'a', repoUrl: 'https://github.com/octo/hello-world' },
    { name: 'b', repoUrl: 'git@github.com:octo/Hello-World.git' },
    { name: 'c', repoUrl: 'https://github.com/octo/other' },
    { name: 'd', repoUrl: '/tmp/x/repo' },
  ];

  it('matches every spelling of the payload repository, and nothing else', () => {
    expect(projectsForRepo(projects, ['https://github.com/Octo/Hello-World.git']).map((p) => p.name)).toEqual(['a', 'b']);
    expect(projectsForRepo(projects, [pathToFileURL('/tmp/x/repo').href]).map((p) => p.name)).toEqual(['d']);
    expect(projectsForRepo(projects, ['/tmp/x/repo2', 'https://github.com/octo/hello'])).toEqual([]);
  });
});
