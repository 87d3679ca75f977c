import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHttpServer } from '../../../tests/e2e/git-http-server.js';
import { httpBranchHead, parsePktLines } from './http-refs.js';

describe('branch heads over smart HTTP (protocol v2 ls-refs)', () => {
  const root = mkdtempSync(join(tmpdir(), 'slipway-http-refs-'));
  let server: Awaited<ReturnType<typeof startGitHttpServer>>;
  let main = '';
  let feature = '';

  beforeAll(async () => {
    const work = join(root, 'work');
    mkdirSync(work);
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: work, encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    git('commit', '-q', '--allow-empty', '-m', 'one');
    main = git('rev-parse', 'HEAD');
    git('checkout', '-q', '-b', 'main-2');
    git('commit', '-q', '--allow-empty', '-m', 'two');
    feature = git('rev-parse', 'HEAD');
    execFileSync('git', ['clone', '-q', '--bare', work, join(root, 'srv', 'r.git')]);
    server = await startGitHttpServer(join(root, 'srv'), 'bot', 's3cret');
  });
  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('agrees with the repository, and matches the branch exactly, not by prefix', async () => {
    expect(await httpBranchHead(server.url('r.git'), 'main', { username: 'bot', password: 's3cret' })).toBe(main);
    expect(await httpBranchHead(server.url('r.git'), 'main-2', { username: 'bot', password: 's3cret' })).toBe(feature);
    const withUser = server.url('r.git').replace('http://', 'http://bot:s3cret@');
    expect(await httpBranchHead(withUser, 'main')).toBe(main);
  });

  it('gives up (for git to report) on a wrong password, a missing branch or repository, and non-http URLs', async () => {
    expect(await httpBranchHead(server.url('r.git'), 'main', { username: 'bot', password: 'wrong' })).toBeUndefined();
    expect(await httpBranchHead(server.url('r.git'), 'nope', { username: 'bot', password: 's3cret' })).toBeUndefined();
    expect(await httpBranchHead(server.url('missing.git'), 'main', { username: 'bot', password: 's3cret' })).toBeUndefined();
    expect(await httpBranchHead('/a/local/path', 'main')).toBeUndefined();
  });

  it('parses pkt-lines, skipping flush and delimiter packets', () => {
    expect(parsePktLines('000ahello\n000100000009world')).toEqual(['hello\n', 'world']);
  });
});
