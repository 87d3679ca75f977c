import { describe, expect, it } from 'vitest';
import { parseRemote, resolveGitHostSettings } from './resolve-settings.js';

describe('parseRemote', () => {
  it.each([
    ['https://github.com/acme/shop.git', { host: 'github.com', path: 'acme/shop' }],
    ['https://GitHub.com/acme/shop/', { host: 'github.com', path: 'acme/shop' }],
    ['git@github.com:acme/shop.git', { host: 'github.com', path: 'acme/shop' }],
    ['ssh://git@gitlab.com/group/sub/shop.git', { host: 'gitlab.com', path: 'group/sub/shop' }],
    ['https://token@gitea.example.com/acme/shop', { host: 'gitea.example.com', path: 'acme/shop' }],
    ['/srv/repos/shop', undefined],
    ['file:///srv/repos/shop', undefined],
    ['relative/dir', undefined],
  ])('%s', (url, expected) => {
    expect(parseRemote(url)).toEqual(expected);
  });
});

describe('resolveGitHostSettings', () => {
  it.each([
    [{ kind: 'github' as const }, 'https://github.com/acme/shop.git', { kind: 'github', apiUrl: 'https://api.github.com', repository: 'acme/shop' }],
    [{ kind: 'gitlab' as const }, 'git@gitlab.com:group/sub/shop.git', { kind: 'gitlab', apiUrl: 'https://gitlab.com/api/v4', repository: 'group/sub/shop' }],
    [{ kind: 'gitea' as const, apiUrl: 'https://codeberg.org/api/v1/' }, 'https://codeberg.org/acme/shop.git', { kind: 'gitea', apiUrl: 'https://codeberg.org/api/v1', repository: 'acme/shop' }],
    [{ kind: 'github' as const, apiUrl: 'http://127.0.0.1:9000', repository: 'acme/shop' }, '/srv/repos/shop', { kind: 'github', apiUrl: 'http://127.0.0.1:9000', repository: 'acme/shop' }],
    [{ kind: 'gitlab' as const, apiUrl: 'https://gl.example.com/api/v4', repository: '42' }, '/srv/shop', { kind: 'gitlab', apiUrl: 'https://gl.example.com/api/v4', repository: '42' }],
  ])('%j at %s', (input, repoUrl, expected) => {
    expect(resolveGitHostSettings(input, repoUrl)).toEqual(expected);
  });

  it.each([
    [{ kind: 'gitea' as const }, 'https://gitea.example.com/acme/shop.git', /API URL cannot be derived/],
    // A github.com URL says nothing about a GitLab API.
    [{ kind: 'gitlab' as const }, 'https://github.com/acme/shop.git', /API URL cannot be derived/],
    [{ kind: 'github' as const, apiUrl: 'http://127.0.0.1:9000' }, '/srv/repos/shop', /repository on github cannot be derived/],
    [{ kind: 'github' as const, repository: 'a/b/c' }, 'https://github.com/acme/shop', /is not owner\/repo/],
    [{ kind: 'gitlab' as const, repository: 'shop' }, 'https://gitlab.com/acme/shop', /GitLab project path/],
    [{ kind: 'github' as const, apiUrl: 'ftp://x' }, 'https://github.com/acme/shop', /not an http/],
    [{ kind: 'gitea' as const, apiUrl: 'https://bot:pw@gitea.example.com/api/v1' }, 'https://gitea.example.com/acme/shop', /credentials/],
  ])('%j at %s fails', (input, repoUrl, message) => {
    expect(() => resolveGitHostSettings(input, repoUrl)).toThrow(message);
    try {
      resolveGitHostSettings(input, repoUrl);
    } catch (err) {
      expect(err).toMatchObject({ code: 'SLW_GIT_HOST_INVALID' });
    }
  });
});
