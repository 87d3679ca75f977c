// Repositories for the trigger benchmarks: a first commit, then a chain of commits made at once with git fast-import,
// so that a benchmark can move the branch to the next one with a file write instead of a git process.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Workflow and config of a benchmark project: one service, no auto-promotion, a CI job that is queued and skipped. */
const files = (name) => ({
  'slipway.yaml': `project: ${name}\nservices:\n  app:\n    path: app\n    command: "true"\nenvironments:\n  dev:\n    target:\n      type: local\n    policy:\n      promotion: manual\n`,
  'app/version.txt': '0\n',
  '.slipway/workflows/ci.yml': 'name: ci\non: push\njobs:\n  check:\n    if: false\n    runs-on: host\n    steps:\n      - run: "true"\n',
});

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@slipway.invalid', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@slipway.invalid' };

/**
 * A repository at `dir` (bare when `bare`) whose main has the first commit, plus `extra` commits after it on
 * refs/bench/chain, each changing app/version.txt. Returns the first commit and the shas of the chain, oldest first.
 */
export function makeBenchRepo(dir, name, extra = 0, { bare = false } = {}) {
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', ...(bare ? ['--bare'] : []), '-b', 'main', dir]);
  const gitDir = bare ? dir : join(dir, '.git');
  const lines = [];
  const blob = (text) => `data ${Buffer.byteLength(text)}\n${text}`;
  const now = Math.floor(Date.now() / 1000);
  lines.push('commit refs/heads/main', `committer Bench <bench@slipway.invalid> ${now} +0000`, blob('init'));
  for (const [path, text] of Object.entries(files(name))) lines.push(`M 100644 inline ${path}`, blob(text));
  for (let i = 1; i <= extra; i++) {
    lines.push(`commit refs/bench/chain`, `committer Bench <bench@slipway.invalid> ${now + i} +0000`, blob(`change ${i}`));
    lines.push(i === 1 ? 'from refs/heads/main' : '', `M 100644 inline app/version.txt`, blob(`${i}\n`));
  }
  execFileSync('git', ['--git-dir', gitDir, 'fast-import', '--quiet'], { input: lines.filter((l) => l !== '').join('\n') + '\n', env: gitEnv });
  if (!bare) execFileSync('git', ['-C', dir, 'reset', '-q', '--hard', 'main']);
  const first = execFileSync('git', ['--git-dir', gitDir, 'rev-parse', 'refs/heads/main']).toString().trim();
  if (extra === 0) return { gitDir, first, chain: [] };
  const chain = execFileSync('git', ['--git-dir', gitDir, 'rev-list', '--reverse', 'refs/heads/main..refs/bench/chain']).toString().trim().split('\n');
  return { gitDir, first, chain };
}

/** Points main at `sha` by writing the loose ref, as a push would leave it, without starting git. */
export function moveMain(gitDir, sha) {
  writeFileSync(join(gitDir, 'refs', 'heads', 'main'), `${sha}\n`);
}
