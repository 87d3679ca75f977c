import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killScript, launcherScript, shellQuote } from './step-launcher.js';

// The launcher runs under the image's sh; here under this machine's, which is what these tests can reach.
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'slipway-launcher-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function launch(env: Record<string, string>, argv: string[], cwd = dir) {
  const file = join(dir, `launch-${++n}.sh`);
  const pidFile = join(dir, `launch-${n}.pid`);
  writeFileSync(file, launcherScript({ pidFile, cwd, env, argv }));
  return { file, pidFile };
}

describe('shellQuote', () => {
  it.each([[''], ['plain'], ["it's"], ['$HOME `id` "x" \\n'], ['line\nbreak']])('gives %j back through sh unchanged', (word) => {
    expect(spawnSync('sh', ['-c', `printf %s ${shellQuote(word)}`], { encoding: 'utf8' }).stdout).toBe(word);
  });
});

describe('launcherScript', () => {
  it('sets the environment (names a shell cannot hold included), the working directory and the PID file, and deletes itself', () => {
    const sub = join(dir, 'sub dir');
    spawnSync('mkdir', ['-p', sub]);
    const env = { GREETING: "it's \"quoted\" — ✓ $HOME", 'INPUT_WHO-TO-GREET': 'world', EMPTY: '' };
    const { file, pidFile } = launch(env, ['sh', '-c', 'echo "$$"; pwd; printf "%s|" "$GREETING" "$EMPTY"'], sub);
    const run = spawnSync('sh', [file], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    const [pid, cwd, values] = run.stdout.trim().split('\n');
    expect(run.status).toBe(0);
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(pid);
    expect(cwd).toBe(sub);
    expect(values).toBe(`${env.GREETING}||`);
    expect(existsSync(file)).toBe(false);
    // A shell passes on only the names it can hold; the step's own command (node for a JavaScript action) gets all.
    const direct = spawnSync('sh', [launch(env, ['env']).file], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(direct.stdout.split('\n')).toContain('INPUT_WHO-TO-GREET=world');
  });

  it('passes the exit code of the step through', () => {
    const { file } = launch({}, ['sh', '-c', 'exit 42']);
    expect(spawnSync('sh', [file]).status).toBe(42);
  });

  it('reports a missing working directory as a step that could not start', () => {
    const { file } = launch({}, ['sh', '-c', 'echo ran'], join(dir, 'missing'));
    const run = spawnSync('sh', [file], { encoding: 'utf8' });
    expect(run.status).toBe(126);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`could not start the step: no such directory: ${join(dir, 'missing')}\n`);
  });
});

describe('killScript', () => {
  it("kills the step's whole process group, background children included", async () => {
    const beat = join(dir, 'beat');
    const { file, pidFile } = launch({}, ['sh', '-c', `(while :; do echo . >> ${beat}; sleep 0.05; done) & wait`]);
    // detached: a group leader, as runc makes every exec.
    const step = spawn('sh', [file], { detached: true, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => step.on('exit', (_code, signal) => resolve(signal)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(spawnSync('sh', ['-c', killScript, pidFile]).status).toBe(0);
    expect(await exited).toBe('SIGKILL');
    const size = readFileSync(beat).length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(readFileSync(beat).length).toBe(size);
  });

  it('gives up quietly when the step never wrote its PID', () => {
    const started = Date.now();
    expect(spawnSync('sh', ['-c', killScript, join(dir, 'never.pid')]).status).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
