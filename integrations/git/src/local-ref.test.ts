import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readLocalBranch } from './local-ref.js';

describe('reading a local branch head without git', () => {
  const root = mkdtempSync(join(tmpdir(), 'slipway-local-ref-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8' }).trim();

  it('agrees with git for loose and packed refs, in work trees and bare repositories', async () => {
    const work = join(root, 'work');
    execFileSync('git', ['init', '-q', '-b', 'main', work]);
    writeFileSync(join(work, 'a'), '1');
    git(work, 'add', '-A');
    git(work, 'commit', '-qm', 'one');
    git(work, 'branch', 'feature/x');
    expect(await readLocalBranch(work, 'main')).toBe(git(work, 'rev-parse', 'main'));
    expect(await readLocalBranch(pathToFileURL(work).href, 'feature/x')).toBe(git(work, 'rev-parse', 'feature/x'));
    git(work, 'pack-refs', '--all');
    expect(await readLocalBranch(work, 'feature/x')).toBe(git(work, 'rev-parse', 'feature/x'));
    // A loose ref written after packing wins, as in git.
    writeFileSync(join(work, 'b'), '2');
    git(work, 'add', '-A');
    git(work, 'commit', '-qm', 'two');
    expect(await readLocalBranch(work, 'main')).toBe(git(work, 'rev-parse', 'main'));
    const bare = join(root, 'bare.git');
    execFileSync('git', ['clone', '-q', '--bare', work, bare]);
    expect(await readLocalBranch(bare, 'main')).toBe(git(work, 'rev-parse', 'main'));
    expect(await readLocalBranch(bare, 'nope')).toBeUndefined();
  });

  it('leaves remote URLs and unusual layouts to git', async () => {
    expect(await readLocalBranch('https://example.com/r.git', 'main')).toBeUndefined();
    expect(await readLocalBranch(join(root, 'missing'), 'main')).toBeUndefined();
  });
});
