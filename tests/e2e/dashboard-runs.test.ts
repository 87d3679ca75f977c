// The run pages of the dashboard in a real browser against a real `slipway server`: the job graph of a workflow
// with `needs` and a matrix, a step's own page with only its (coloured) log lines, a live step, and the Cancel and
// Re-run failed jobs buttons doing their work on the server.
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { LogLine, Run, RunDetail } from '@slipway/core';
import { launchChromium, noChromium, screenshots } from './browser.js';
import { freePort, git, processesMatching, repoRoot, startSlipway, tempDir, waitFor, type ServerProcess } from './harness.js';
import { addProject, appConfig, commitWorkflow as commitWorkflowTo, httpApp, initRepo, noopWorkflow, runFinished } from './project-repo.js';

const flowMs = 60_000;


const node = (job: string) => `[data-testid="graph-node"][data-job="${job}"]`;

describe.skipIf(noChromium !== undefined)('dashboard run pages in a browser', () => {
  const dir = tempDir('dashboard-runs');
  const repo = join(dir.path, 'repo');
  let s: ServerProcess | undefined;
  let projectId = '';
  let context: BrowserContext | undefined;
  let page: Page;

  const commitWorkflow = (yaml: string, message: string) => commitWorkflowTo(s!, projectId, repo, yaml, message);
  const runOf = (id: string) => s!.get<RunDetail>(`/api/runs/${id}`);
  const finished = (id: string) => runFinished(s!, id, flowMs);
  const texts = (selector: string) => page.locator(selector).allInnerTexts();

  beforeAll(async () => {
    for (const built of ['dist/cli.mjs', 'packages/web/dist/index.html']) {
      if (!existsSync(join(repoRoot, built))) throw new Error(`${built} is missing: run \`npm run build\` (npm test does it when stale)`);
    }
    await initRepo(repo, { 'slipway.yaml': appConfig('dash'), 'app/server.mjs': httpApp, '.slipway/workflows/ci.yml': noopWorkflow });
    s = await startSlipway(['server', '--data-dir', join(dir.path, 'data')], { port: await freePort() });
    projectId = (await addProject(s, repo, 'dash')).id;

    ({ context, page } = await launchChromium(join(dir.path, 'chromium-profile')));
    // The action buttons ask to confirm with window.confirm.
    page.on('dialog', (d) => void d.accept());
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await s?.stop();
    const left = processesMatching(dir.path);
    for (const pid of left.split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGKILL');
    dir.remove();
    expect(left, 'processes left behind').toBe('');
  }, 30_000);

  it('shows the job graph with its needs edges, and a step page with only that step’s lines in colour', async () => {
    onTestFailed(() => console.error(`slipway server output (tail):\n${s?.output().slice(-4000)}`));
    const id = await commitWorkflow(
      `name: graph
on: push
jobs:
  build:
    runs-on: host
    steps:
      - name: compile
        run: echo "compiling"
  test:
    needs: build
    runs-on: host
    strategy:
      matrix:
        shard: [a, b]
    steps:
      - name: shard
        run: echo "shard \${{ matrix.shard }}"
  report:
    needs: test
    runs-on: host
    steps:
      - name: before
        run: echo "not this step"
      - name: colours
        run: |
          printf '\\033[32mgreen\\033[0m and \\033[1;31mbold red\\033[0m\\n'
          printf '\\033[2Kplain\\033[?25l\\n'
          echo "to stderr" >&2
      - name: after
        run: echo "nor this one"
`,
      'graph',
    );
    const run = await finished(id);
    expect(run.status, run.error ?? '').toBe('succeeded');

    await page.goto(`${s!.url}/#/runs/${id}`);
    await page.locator(`[data-testid="run-page"][data-run-id="${id}"][data-status="succeeded"]`).waitFor({ timeout: flowMs });
    await page.locator('[data-testid="graph-node"]').nth(3).waitFor();
    expect((await texts('[data-testid="run-attempt"]'))[0]).toBe('attempt 1');

    // One node per job row, in columns by depth, with an edge for each need.
    const nodes = await attributes(page, '[data-testid="graph-node"]', ['data-job', 'data-column', 'data-status']);
    expect(nodes.sort()).toEqual([
      ['build', '0', 'succeeded'],
      ['report', '2', 'succeeded'],
      ['test (a)', '1', 'succeeded'],
      ['test (b)', '1', 'succeeded'],
    ]);
    const edges = (await attributes(page, '[data-testid="graph-edge"]', ['data-from', 'data-to'])).map(([from, to]) => `${from} → ${to}`);
    expect(edges.sort()).toEqual(['build → test (a)', 'build → test (b)', 'test (a) → report', 'test (b) → report']);
    expect(await page.locator(`${node('build')} .badge`).innerText()).toContain('succeeded');
    expect(await page.locator(`${node('build')} .mono`).innerText()).toMatch(/^\d+(ms|s)$/);

    // Clicking a job selects it: only its steps and its lines are shown.
    await page.click(node('test (a)'));
    await page.locator(`${node('test (a)')}[data-selected="true"]`).waitFor();
    expect(await attributes(page, '[data-testid="job"]', ['data-job'])).toEqual([['test (a)']]);
    await waitFor('only the lines of test (a)', async () => {
      const lines = await texts('[data-testid="log-line"] .log-text');
      return lines.includes('shard a') && !lines.includes('shard b') && !lines.includes('compiling');
    }, 10_000);
    await page.screenshot({ path: join(screenshots, 'run-graph.png'), fullPage: true });
    await page.click(node('test (a)'));
    await page.locator('[data-testid="job"][data-job="report"]').waitFor();

    // The step row links to the step's page: its facts and only its own lines, ANSI colours as spans.
    const step = run.jobs.find((j) => j.name === 'report')!.steps.find((x) => x.name === 'colours')!;
    await page.click(`[data-testid="step"][data-step-id="${step.id}"] a`);
    await page.locator(`[data-testid="step-page"][data-step-id="${step.id}"][data-status="succeeded"]`).waitFor();
    expect(page.url()).toBe(`${s!.url}/#/runs/${id}/steps/${step.id}`);
    await page.locator('[data-testid="log-view"][data-ended="true"]').waitFor({ timeout: flowMs });
    const apiLines = (await s!.get<{ items: LogLine[] }>(`/api/runs/${id}/logs`)).items.filter((l) => l.stepId === step.id);
    expect(apiLines.length).toBeGreaterThanOrEqual(3);
    const want = apiLines.map((l) => l.text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ''));
    // The lines render after the stream's end marker on a busy machine: wait for them, then compare exactly.
    await waitFor('the step’s lines', async () => (await texts('[data-testid="log-line"] .log-text')).length >= want.length, 10_000).catch(() => undefined);
    const shown = await texts('[data-testid="log-line"] .log-text');
    expect(shown).toEqual(want);
    expect(shown).toEqual(expect.arrayContaining(['green and bold red', 'plain', 'to stderr']));
    expect(shown.join('\n')).not.toMatch(/not this step|nor this one|\u001b/);
    expect(await page.locator('[data-testid="log-line"][data-stream="stderr"]').count()).toBe(1);

    const green = page.locator('[data-testid="log-line"] span.ansi-green');
    expect(await green.innerText()).toBe('green');
    expect(await computed(green, 'color')).toBe('rgb(26, 127, 55)');
    const boldRed = page.locator('[data-testid="log-line"] span.ansi-red.ansi-bold');
    expect(await boldRed.innerText()).toBe('bold red');
    expect(await computed(boldRed, 'fontWeight')).toBe('700');

    const facts = Object.fromEntries(await attributes(page, '[data-testid="step-fact"]', ['data-fact']).then((fs) => Promise.all(fs.map(async ([f]) => [f, await page.locator(`[data-fact="${f}"] dd`).innerText()]))));
    expect(facts.job).toBe('report · step 2 · attempt 1');
    for (const f of ['queued', 'started', 'finished']) expect(facts[f]).toMatch(/\d{1,2}:\d{2}:\d{2}/);
    for (const f of ['queued-wait', 'run-time']) expect(facts[f]).toMatch(/^\d+(ms|s)$/);
    await page.screenshot({ path: join(screenshots, 'step.png'), fullPage: true });
  }, 2 * flowMs);

  it('streams a running step live, and cancels the run with the Cancel button', async () => {
    onTestFailed(() => console.error(`slipway server output (tail):\n${s?.output().slice(-4000)}`));
    const id = await commitWorkflow('name: slow\non: push\njobs:\n  wait:\n    runs-on: host\n    steps:\n      - name: nap\n        run: |\n          echo "before the nap"\n          sleep 1\n          echo "napping"\n          sleep 3609\n', 'slow');
    const step = await waitFor('the step to start', async () => (await runOf(id)).jobs[0]?.steps.find((x) => x.status === 'running'), 20_000, 100);

    await page.goto(`${s!.url}/#/runs/${id}/steps/${step.id}`);
    await page.locator('[data-testid="step-page"][data-status="running"]').waitFor({ timeout: flowMs });
    await waitFor('both lines, live', async () => (await texts('[data-testid="log-line"] .log-text')).includes('napping'), 20_000);
    expect(await page.locator('[data-testid="log-view"]').getAttribute('data-ended')).toBe('false');
    expect(await page.locator('[data-fact="finished"] dd').innerText()).toBe('—');

    await page.click('[data-testid="step-run-link"]');
    await page.locator(`[data-testid="run-page"][data-run-id="${id}"][data-status="running"]`).waitFor();
    expect(await page.locator('[data-testid="rerun-all"]').count()).toBe(0);
    await page.click('[data-testid="cancel-run"]');
    await page.locator('[data-testid="run-page"][data-status="cancelled"]').waitFor({ timeout: 15_000 });
    await page.locator(`${node('wait')}[data-status="cancelled"]`).waitFor();
    await page.locator('[data-testid="rerun-all"]').waitFor();
    expect(await page.locator('[data-testid="cancel-run"]').count()).toBe(0);
    expect(processesMatching('sleep 3609')).toBe('');
    expect((await runOf(id)).error).toBe('cancelled by a user');

    // An API error shows in the error panel: with the page's live events cut off, the run is re-run behind its
    // back, so the page still offers Re-run all jobs and the server answers 409 (the run is running again).
    await page.route('**/api/events**', (route) => route.abort());
    try {
      await page.reload();
      await page.locator('[data-testid="run-page"][data-status="cancelled"] [data-testid="rerun-all"]').waitFor();
      // The log stream's end reloads the run once more; after it nothing refreshes the page.
      await page.locator('[data-testid="log-view"][data-ended="true"]').waitFor();
      await page.waitForTimeout(500);
      const res = await fetch(`${s!.url}/api/runs/${id}/rerun`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"failedOnly":false}' });
      expect(res.status).toBe(202);
      await page.click('[data-testid="rerun-all"]');
      const error = page.locator('[data-testid="api-error"]');
      await error.waitFor();
      expect(await error.getAttribute('data-code')).toBe('SLW_CONFLICT');
      expect(await error.innerText()).toMatch(/is still (queued|running)/);
    } finally {
      await page.unroute('**/api/events**');
      await page.reload();
      await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
      await waitFor('the re-run to be cancelled', async () => {
        const r = await fetch(`${s!.url}/api/runs/${id}/cancel`, { method: 'POST' });
        return r.status === 202 || (await runOf(id)).status === 'cancelled';
      }, 20_000, 200);
      await finished(id);
    }
  }, 2 * flowMs);

  it('re-runs the failed jobs with the Re-run failed jobs button as the next attempt', async () => {
    onTestFailed(() => console.error(`slipway server output (tail):\n${s?.output().slice(-4000)}`));
    const marker = join(dir.path, 'flaky-passes');
    const id = await commitWorkflow(
      `name: flaky
on: push
jobs:
  build:
    runs-on: host
    steps:
      - run: echo "built once"
  flaky:
    needs: build
    runs-on: host
    steps:
      - name: check
        run: test -f ${marker} && echo "passed this time"
`,
      'flaky',
    );
    const first = await finished(id);
    expect(first.status).toBe('failed');

    await page.goto(`${s!.url}/#/runs/${id}`);
    await page.locator(`[data-testid="run-page"][data-run-id="${id}"][data-status="failed"]`).waitFor({ timeout: flowMs });
    await page.locator(`${node('flaky')}[data-status="failed"]`).waitFor();
    expect(await page.locator('[data-testid="graph-edge"][data-from="build"][data-to="flaky"]').count()).toBe(1);

    writeFileSync(marker, '');
    await page.click('[data-testid="rerun-failed"]');
    await page.locator('[data-testid="run-page"][data-attempt="2"][data-status="succeeded"]').waitFor({ timeout: flowMs });
    expect((await texts('[data-testid="run-attempt"]'))[0]).toBe('attempt 2');
    await page.locator(`${node('flaky')}[data-status="succeeded"]`).waitFor();
    // The log follows the new attempt, and the job that succeeded was kept, not run again.
    await waitFor('the new attempt’s line', async () => (await texts('[data-testid="log-line"] .log-text')).includes('passed this time'), 20_000);
    const second = await runOf(id);
    const build = (r: RunDetail) => r.jobs.find((j) => j.name === 'build')!;
    expect(build(second).startedAt).toBe(build(first).startedAt);
    expect(await page.locator('[data-testid="rerun-failed"]').count()).toBe(0);
    await page.screenshot({ path: join(screenshots, 'run-rerun.png'), fullPage: true });

    // The re-run step's page shows this attempt's lines; those of the failed attempt are one click away.
    const check = second.jobs.find((j) => j.name === 'flaky')!.steps[0]!;
    await page.click(`[data-testid="step"][data-step-id="${check.id}"] a`);
    await page.locator(`[data-testid="step-page"][data-step-id="${check.id}"][data-status="succeeded"]`).waitFor();
    await waitFor('this attempt’s line', async () => (await texts('[data-testid="log-line"] .log-text')).includes('passed this time'), 20_000);
    expect(await texts('[data-testid="log-line"] .log-text')).toEqual(['passed this time']);
    await page.click('[data-testid="step-earlier-attempts"]');
    const all = await texts('[data-testid="log-line"] .log-text');
    expect(all.length).toBeGreaterThan(1);
    expect(all.at(-1)).toBe('passed this time');
  }, 2 * flowMs);

  it('lists the workflows with their triggers and schedules, and starts one by hand from its form', async () => {
    const wfDir = join(repo, '.slipway/workflows');
    for (const f of readdirSync(wfDir)) rmSync(join(wfDir, f));
    writeFileSync(
      join(wfDir, 'release.yml'),
      `name: release
on:
  schedule:
    - cron: '0 4 * * 1'
  workflow_dispatch:
    inputs:
      target:
        type: choice
        options: [staging, prod]
      dry:
        type: boolean
        default: true
jobs:
  go:
    runs-on: host
    steps:
      - run: echo "releasing to \${{ inputs.target }} dry=\${{ inputs.dry }}"
`,
    );
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'release workflow');
    const sha = await git(repo, 'rev-parse', 'HEAD');
    await fetch(`${s!.url}/api/projects/${projectId}/poll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await waitFor('the commit to be seen', async () => (await s!.get<{ items: { id: string; lastCommitSha: string }[] }>('/api/projects')).items[0]?.lastCommitSha === sha, 20_000, 100);

    await page.goto(`${s!.url}/#/runs`);
    const row = page.locator('[data-testid="workflow-row"][data-file=".slipway/workflows/release.yml"]');
    await row.waitFor();
    expect(await row.innerText()).toContain('cron 0 4 * * 1');
    await row.locator('[data-testid="dispatch-open"]').click();
    await row.locator('select[name="target"]').selectOption('prod');
    await row.locator('input[name="dry"]').uncheck();
    await page.screenshot({ path: join(screenshots, 'dispatch.png'), fullPage: true });
    await row.locator('[data-testid="dispatch-submit"]').click();
    await page.locator('[data-testid="run-page"][data-status="succeeded"]').waitFor({ timeout: flowMs });
    await waitFor('the run’s line', async () => (await texts('[data-testid="log-line"] .log-text')).includes('releasing to prod dry=false'), 20_000);
    const [run] = (await s!.get<{ items: Run[] }>(`/api/runs?commitSha=${sha}`)).items;
    expect(run).toMatchObject({ trigger: 'manual', inputs: { target: 'prod', dry: false } });
    await page.goto(`${s!.url}/#/runs`);
    expect(await page.locator(`[data-testid="run-row"][data-run-id="${run!.id}"] [data-testid="run-trigger"]`).innerText()).toContain('by hand');
  }, 2 * flowMs);

  it('previews what merging a branch would rebuild and change, from the Plan page', async () => {
    await git(repo, 'checkout', '-q', '-b', 'feature');
    writeFileSync(join(repo, 'app/server.mjs'), "import http from 'node:http';\nhttp.createServer((q, r) => r.end('ok v2')).listen(Number(process.env.PORT), '127.0.0.1');\n");
    await git(repo, 'commit', '-qam', 'app v2');
    const head = await git(repo, 'rev-parse', 'HEAD');
    await git(repo, 'checkout', '-q', 'main');
    await page.goto(`${s!.url}/#/plan`);
    await page.fill('[data-testid="plan-target"]', 'feature');
    await page.click('[data-testid="plan-submit"]');
    await page.locator(`[data-testid="plan"][data-head="${head}"]`).waitFor({ timeout: flowMs });
    expect(await attributes(page, '[data-testid="plan-service"]', ['data-service', 'data-rebuild'])).toEqual([['app', 'true']]);
    expect(page.url()).toContain('#/plan/branch/feature');
    expect(await page.locator('[data-testid="plan-environment"][data-env="dev"]').count()).toBe(1);
    await page.screenshot({ path: join(screenshots, 'plan.png'), fullPage: true });
  }, 2 * flowMs);
});

/** The given attributes of every element that matches selector, in document order. */
async function attributes(page: Page, selector: string, names: string[]): Promise<(string | null)[][]> {
  // The callback runs in the page; it is typed structurally because this program has no DOM lib.
  type WithAttributes = { getAttribute(name: string): string | null };
  return page.locator(selector).evaluateAll((els: WithAttributes[], attrs: string[]) => els.map((el) => attrs.map((a) => el.getAttribute(a))), names);
}

/** A computed style property of the element. */
function computed(locator: Locator, property: 'color' | 'fontWeight'): Promise<string> {
  // Typed structurally, as above: the page's window as far as this needs it.
  type Styles = { getComputedStyle(el: unknown): Record<typeof property, string> };
  return locator.evaluate((el, p) => (globalThis as unknown as Styles).getComputedStyle(el)[p], property);
}
