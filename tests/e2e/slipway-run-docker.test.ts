import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerUnavailable } from '../../executors/docker/src/docker-test-probe.js';
import { bin, cli, git, tempDir, waitFor } from './harness.js';

/** Containers and networks (with their owner label) that Slipway made for jobs of this test's workflow. */
function leftovers(marker: string): string[] {
  const out = (args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter((l) => l.includes(marker));
  return [
    ...out(['ps', '-a', '--filter', 'label=dev.slipway.job', '--format', '{{.Names}} {{.Label "dev.slipway.job"}}']),
    ...out(['network', 'ls', '--filter', 'label=dev.slipway.job', '--format', '{{.Name}} {{.Label "dev.slipway.job"}}']),
  ];
}

/** `slipway run` with a job container: SIGTERM cleans up at once; after SIGKILL, the next run removes what was left. */
describe.skipIf(dockerUnavailable())('slipway run on Docker, killed', () => {
  const dir = tempDir('run-docker');
  const repo = join(dir.path, 'repo');
  afterAll(() => dir.remove());

  const start = () => {
    const child = spawn(process.execPath, [bin, 'run', 'boxed', '-q'], { cwd: repo, env: { ...process.env, NO_COLOR: '1' }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
    return { child, exited };
  };
  // The job key is part of each object's label; this one is unique to this test.
  const marker = 'boxed-killtest';

  it('SIGTERM cancels the job and removes its container, service and network before exiting', async () => {
    mkdirSync(join(repo, '.slipway/workflows'), { recursive: true });
    writeFileSync(
      join(repo, '.slipway/workflows/boxed.yml'),
      ['name: boxed', 'on: push', 'jobs:', `  ${marker}:`, '    container: slipway/node:20', '    services:', '      idle:', '        image: slipway/node:20', '        entrypoint: sleep', '        command: "3600"', '    steps:', '      - run: sleep 3612', ''].join('\n'),
    );
    writeFileSync(join(repo, '.slipway/workflows/quick.yml'), 'name: quick\non: workflow_dispatch\njobs:\n  hello:\n    steps:\n      - run: echo hello\n');
    await git(repo, 'init', '-q', '-b', 'main');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'init');
    const { child, exited } = start();
    await waitFor('the job container and its service', async () => leftovers(marker).length === 3, 60_000, 200);
    child.kill('SIGTERM');
    expect(await exited).toBe(130);
    expect(leftovers(marker)).toEqual([]);
  });

  it('after SIGKILL the objects stay, and the next slipway run removes them', async () => {
    const { child, exited } = start();
    await waitFor('the job container and its service', async () => leftovers(marker).length === 3, 60_000, 200);
    child.kill('SIGKILL');
    await exited;
    expect(leftovers(marker)).toHaveLength(3);
    const next = await cli(['run', 'quick'], { cwd: repo });
    expect(next.code, next.stderr).toBe(0);
    expect(leftovers(marker)).toEqual([]);
  });
});
