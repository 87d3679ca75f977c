import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import type { Project, Run, RunDetail } from '@slipway/core';
import { cli, freePort, git, processesMatching, repoRoot, startSlipway, waitFor, type ServerProcess } from './harness.js';

/** A service that answers every request on $PORT: enough for a deploy to come up healthy. */
export const httpApp = "import http from 'node:http';\nhttp.createServer((q, r) => r.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');\n";

/** The slipway.yaml of a project with one service `app` (in app/) checked at `/healthz`. */
export const appConfig = (project: string) => `project: ${project}\nservices:\n  app:\n    path: app\n    command: node server.mjs\n    health:\n      path: /healthz\n`;

/** A workflow with one job that does nothing, so that the first commit has a run that succeeds. */
export const noopWorkflow = 'on: push\njobs:\n  noop:\n    runs-on: host\n    steps:\n      - run: "true"\n';

/** Writes the files (paths relative to `repo`), then makes `repo` a git repository on main with them as its first commit. */
export async function initRepo(repo: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  await git(repo, 'init', '-q', '-b', 'main');
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-qm', 'init');
}

/** `slipway projects add` with polling left to the test (it asks for polls), through the real CLI; fails the test if it fails. */
export async function addProject(s: ServerProcess, repo: string, name: string, extraArgs: string[] = [], env?: Record<string, string>): Promise<Project> {
  const added = await cli(['projects', 'add', repo, '--name', name, '--poll-interval', '3600', ...extraArgs, '--json', '--server', s.url], env ? { env } : {});
  expect(added.code, added.stderr).toBe(0);
  return JSON.parse(added.stdout) as Project;
}

/** Kills what a test left running under its temporary directory (the instances a deploy started). */
export function killProcessesUnder(path: string): void {
  for (const pid of processesMatching(path).split('\n').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}

/** Every file under `dir`, as text that keeps every byte (latin1), for searching for leaked values. */
export function allFiles(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return allFiles(path);
    return e.isFile() ? [{ path, text: readFileSync(path).toString('latin1') }] : [];
  });
}

/** Makes `yaml` the repository's only workflow, commits it, asks the server to poll, and returns the id of the run it queued. */
export async function commitWorkflow(s: ServerProcess, projectId: string, repo: string, yaml: string, message: string): Promise<string> {
  const wfDir = join(repo, '.slipway/workflows');
  for (const f of readdirSync(wfDir)) rmSync(join(wfDir, f));
  writeFileSync(join(wfDir, 'ci.yml'), yaml);
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-qm', message);
  const sha = await git(repo, 'rev-parse', 'HEAD');
  const poll = await fetch(`${s.url}/api/projects/${projectId}/poll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(poll.ok, await poll.clone().text()).toBe(true);
  const run = await waitFor(`a run of ${message}`, async () => (await s.get<{ items: Run[] }>(`/api/runs?commitSha=${sha}`)).items[0], 20_000, 100);
  return run.id;
}

/** The run once it has finished (succeeded, failed or cancelled). */
export function runFinished(s: ServerProcess, id: string, timeoutMs = 30_000): Promise<RunDetail> {
  return waitFor(`run ${id} to finish`, async () => {
    const r = await s.get<RunDetail>(`/api/runs/${id}`);
    return ['succeeded', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
  }, timeoutMs, 100);
}

/**
 * The demo (examples/demo) copied to `<dir>/repo` with its slipway.yaml as `edit` makes it, committed, and followed by
 * a server started on `<dir>/data`.
 */
export async function startDemoProject(dir: string, edit: (yaml: string) => string, env?: Record<string, string>): Promise<{ s: ServerProcess; repo: string; projectId: string }> {
  const repo = join(dir, 'repo');
  cpSync(join(repoRoot, 'examples/demo'), repo, { recursive: true });
  writeFileSync(join(repo, 'slipway.yaml'), edit(readFileSync(join(repo, 'slipway.yaml'), 'utf8')));
  await initRepo(repo, {});
  const s = await startSlipway(['server', '--data-dir', join(dir, 'data')], { port: await freePort(), ...(env ? { env } : {}) });
  return { s, repo, projectId: (await addProject(s, repo, 'demo')).id };
}
