import { describe, expect, it } from 'vitest';
import { redactText, redactUrl } from './redact.js';

describe('redactUrl', () => {
  it.each([
    ['https://user:token@github.com/acme/app.git', 'https://***@github.com/acme/app.git'],
    ['https://ghp_abc123@github.com/acme/app.git', 'https://***@github.com/acme/app.git'],
    ['https://user:p@ss@host:8443/repo', 'https://***@host:8443/repo'],
    ['ssh://git@host/repo.git', 'ssh://***@host/repo.git'],
    ['https://github.com/acme/app.git', 'https://github.com/acme/app.git'],
    ['https://host/path/with@sign', 'https://host/path/with@sign'],
    ['git@github.com:acme/app.git', 'git@github.com:acme/app.git'],
    ['/srv/repos/app', '/srv/repos/app'],
    ['file:///srv/repos/app', 'file:///srv/repos/app'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('redacts every URL inside a text', () => {
    expect(redactText("fatal: unable to access 'https://a:b@x.io/r/': 403; retry http://c@y.io")).toBe("fatal: unable to access 'https://***@x.io/r/': 403; retry http://***@y.io");
  });
});
