import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run, RunDetail } from '@slipway/core';
import { dockerUnavailable } from '../../executors/docker/src/docker-test-probe.js';
import { cli, freePort, git, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, initRepo } from './project-repo.js';

/** Names of the containers and networks Slipway made for a run, from their job label (`<run id>-<attempt>-<job>`). */
function dockerObjectsOf(runId: string): { containers: string[]; networks: string[] } {
  const list = (args: string[]) =>
    execFileSync('docker', args, { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(runId))
      .map((l) => l.split(' ')[0]!);
  return {
    containers: list(['ps', '-a', '--filter', 'label=dev.slipway.job', '--format', '{{.Names}} {{.Label "dev.slipway.job"}}']),
    networks: list(['network', 'ls', '--filter', 'label=dev.slipway.job', '--format', '{{.Name}} {{.Label "dev.slipway.job"}}']),
  };
}

/** A Docker-executor run (job container and a service) leaves no container and no network behind, cancelled or killed. */
describe.skipIf(dockerUnavailable())('Docker runs on the server', () => {
  const dir = tempDir('ci-docker');
  const repo = join(dir.path, 'repo');
  const dataDir = join(dir.path, 'data');
  const args = ['server', '--data-dir', dataDir];
  let port = 0;
  let s: ServerProcess;
  let projectId = '';

  const commit = async (message: string): Promise<string> => {
    writeFileSync(join(repo, 'app/version.txt'), message);
    await git(repo, 'commit', '-qam', message);
    const sha = await git(repo, 'rev-parse', 'HEAD');
    await fetch(`${s.url}/api/projects/${projectId}/poll`, { method: 'POST' });
    return (await waitFor('the run', async () => (await s.get<{ items: Run[] }>(`/api/runs?commitSha=${sha}`)).items[0], 20_000, 100)).id;
  };
  const stepRunning = (id: string) => waitFor('the step to run in its container', async () => (await s.get<RunDetail>(`/api/runs/${id}`)).jobs[0]?.steps[0]?.status === 'running', 60_000, 100);
  const cancelled = (id: string) => waitFor('the run to be cancelled', async () => ((await s.get<RunDetail>(`/api/runs/${id}`)).status === 'cancelled' ? true : undefined), 20_000, 100);

  beforeAll(async () => {
    const svc = join(dir.path, 'svc');
    mkdirSync(svc);
    writeFileSync(join(svc, 'start'), '#!/bin/sh\nexec sleep 3600\n');
    chmodSync(join(svc, 'start'), 0o755);
    await initRepo(repo, {
      'slipway.yaml': 'project: boxed\nservices:\n  app:\n    path: app\n    command: node -e "setInterval(() => {}, 1000)"\n',
      'app/version.txt': 'v0',
      '.slipway/workflows/ci.yml': ['on: push', 'jobs:', '  boxed:', '    runs-on: host', '    container:', '      image: slipway/node:20', '    services:', '      idle:', '        image: slipway/node:20', `        volumes: ["${svc}:/srv:ro"]`, '        options: --entrypoint /srv/start', '    steps:', '      - run: sleep 3611', ''].join('\n'),
    });
    port = await freePort();
    s = await startSlipway(args, { port });
    projectId = (await addProject(s, repo, 'boxed')).id;
  });

  afterAll(async () => {
    await s?.stop();
    dir.remove();
  });

  it('cancelling removes the job container, the service container and the network', async () => {
    const id = await commit('v1');
    await stepRunning(id);
    const made = dockerObjectsOf(id);
    expect(made.containers).toHaveLength(2);
    expect(made.networks).toHaveLength(1);
    const res = await cli(['runs', 'cancel', id, '--server', s.url]);
    expect(res.code, res.stderr).toBe(0);
    await cancelled(id);
    expect(dockerObjectsOf(id)).toEqual({ containers: [], networks: [] });
  });

  it('killing the server leaves nothing once it restarts: the dead run is cleaned up, retried, and its retry cancelled cleanly', async () => {
    const id = await commit('v2');
    await stepRunning(id);
    const before = dockerObjectsOf(id);
    expect(before.containers).toHaveLength(2);
    await s.kill9();
    // Nothing can clean up after SIGKILL in the killed process itself; the objects are still there now.
    expect(dockerObjectsOf(id).containers).toEqual(before.containers);

    s = await startSlipway(args, { port });
    await waitFor('the killed attempt\'s containers and network to be removed', async () => {
      const now = dockerObjectsOf(id);
      return before.containers.every((c) => !now.containers.includes(c)) && before.networks.every((n) => !now.networks.includes(n));
    }, 30_000, 250);
    const retried = await waitFor('the retry to run', async () => {
      const r = await s.get<RunDetail>(`/api/runs/${id}`);
      return r.attempt === 2 && r.jobs[0]?.steps[0]?.status === 'running' ? r : undefined;
    }, 60_000, 100);
    expect(retried.attempt).toBe(2);
    await fetch(`${s.url}/api/runs/${id}/cancel`, { method: 'POST' });
    await cancelled(id);
    expect(dockerObjectsOf(id)).toEqual({ containers: [], networks: [] });
  });
});
