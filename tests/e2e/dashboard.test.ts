// The dashboard in a real browser against the real demo: `slipway demo` with its three services, a commit to the demo
// repository, and the run, its logs, the new release in dev and the events, followed through the UI.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { launchChromium, noChromium, screenshots } from './browser.js';
import { freePort, processesMatching, startSlipway, waitFor as waitForValue, type ServerProcess } from './harness.js';

/** Polls until probe returns a truthy value, for at most the flow's budget. */
const waitFor = <T>(what: string, probe: () => Promise<T | false | undefined | null>) => waitForValue(what, async () => (await probe()) ?? undefined, flowMs);

const root = fileURLToPath(new URL('../..', import.meta.url));
const flowMs = 90_000;
const services = ['api', 'web', 'worker'] as const;


/** The row of one service in one environment on the overview. */
const serviceRow = (service: string, env = 'dev') => `[data-testid="service-row"][data-service="${service}"][data-env="${env}"]`;

describe.skipIf(noChromium !== undefined)('dashboard in a browser', () => {
  let dataDir = '';
  let profileDir = '';
  let server: ServerProcess | undefined;
  let log = () => '';
  let base = '';
  let context: BrowserContext | undefined;
  let page: Page;

  beforeAll(async () => {
    // `npm test` builds the CLI bundle and the dashboard first (scripts/build.mjs --if-stale).
    for (const built of ['dist/cli.mjs', 'packages/web/dist/index.html']) {
      if (!existsSync(join(root, built))) throw new Error(`${built} is missing: run \`npm run build\` (npm test does it when stale)`);
    }

    dataDir = mkdtempSync(join(tmpdir(), 'slipway-dashboard-'));
    profileDir = join(dataDir, 'chromium-profile');
    server = await startSlipway(['demo', '--data-dir', join(dataDir, 'data'), '--no-open'], { port: await freePort() });
    base = server.url;
    log = () => server!.output();

    ({ context, page } = await launchChromium(profileDir));
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await server?.stop();
    const left = dataDir ? processesMatching(dataDir) : '';
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    expect(left, 'processes left behind').toBe('');
  }, 30_000);

  it('shows the three demo services healthy in dev', async () => {
    onTestFailed(() => console.error(`slipway demo output (tail):\n${log().slice(-4000)}`));
    await page.goto(`${base}/`);
    for (const s of services) await page.locator(`${serviceRow(s)}[data-health="healthy"]`).waitFor({ timeout: flowMs });
    await page.screenshot({ path: join(screenshots, 'overview.png'), fullPage: true });
  }, flowMs + 10_000);

  it('shows prod waiting for its approval, and the Approve button lets the release through to prod', async () => {
    onTestFailed(() => console.error(`slipway demo output (tail):\n${log().slice(-4000)}`));
    const waiting = page.locator('[data-env="prod"] [data-testid="env-waiting"]');
    await waiting.waitFor({ timeout: flowMs });
    expect(await waiting.textContent()).toContain('0 of 1 approval (role approver)');
    // By hand, prod can be offered what staging runs; staging has nothing newer than dev to be offered.
    expect(await page.locator('[data-env="prod"] [data-testid="promote"]').textContent()).toBe('Promote v1');
    expect(await page.locator('[data-env="staging"] [data-testid="promote"]').count()).toBe(0);
    await page.screenshot({ path: join(screenshots, 'approval-waiting.png'), fullPage: true });
    // The promotion page says which gate waits and why; Approve there lets it through.
    await waiting.locator('a').click();
    await page.locator('[data-testid="promotion-page"][data-phase="pending"]').waitFor();
    expect(await page.locator('[data-testid="gate"][data-gate="approvals"]').getAttribute('data-passed')).toBe('false');
    expect(await page.locator('[data-testid="gate"][data-gate="previous"]').getAttribute('data-passed')).toBe('true');
    await page.screenshot({ path: join(screenshots, 'promotion-gates.png'), fullPage: true });
    page.once('dialog', (d) => void d.accept());
    await page.locator('[data-testid="approve"]').click();
    await page.locator('[data-testid="promotion-page"][data-phase="succeeded"]').waitFor({ timeout: flowMs });
    expect(await page.locator('[data-testid="approval"]').textContent()).toContain('local');
    await page.click('[data-testid="nav-overview"]');
    for (const s of services) await page.locator(`${serviceRow(s, 'prod')}[data-health="healthy"]`).waitFor({ timeout: flowMs });
    await waiting.waitFor({ state: 'detached', timeout: flowMs });
    await page.screenshot({ path: join(screenshots, 'promoted-to-prod.png'), fullPage: true });
    // The history lists every promotion, newest first, from the server a page at a time.
    await page.click('[data-testid="nav-history"]');
    await page.locator('[data-testid="history-row"]').first().waitFor();
    const phases = await page.locator('[data-testid="history-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-phase')));
    expect(phases).toEqual(['succeeded', 'succeeded', 'succeeded']);
    await page.screenshot({ path: join(screenshots, 'history.png'), fullPage: true });
    await page.click('[data-testid="nav-overview"]');
  }, flowMs + 10_000);

  it("shows the DORA insights of prod: the four keys with their tiers and the deploys per day", async () => {
    await page.click('[data-testid="nav-insights"]');
    const panel = page.locator('[data-testid="insights"][data-project="demo"]');
    await panel.waitFor({ timeout: flowMs });
    await panel.locator('[data-testid="daily-chart"]').waitFor();
    expect(await panel.locator('.panel-head').textContent()).toContain('→ prod, 1 deployment');
    expect(await panel.locator('[data-testid="change-fail-rate"]').getAttribute('data-tier')).toBe('elite');
    expect(await panel.locator('[data-testid="lead-time"] .tile-value').textContent()).toMatch(/\d+ (s|min)/);
    await page.screenshot({ path: join(screenshots, 'insights.png'), fullPage: true });
    await page.click('[data-testid="nav-overview"]');
  }, flowMs + 10_000);

  it('follows a commit: a run with live logs, the new release in dev, and the events', async () => {
    onTestFailed(() => console.error(`slipway demo output (tail):\n${log().slice(-4000)}`));
    const repo = join(dataDir, 'data', 'demo-repo');
    const versionBefore = Number(await page.locator(serviceRow('api')).getAttribute('data-version'));
    expect(versionBefore).toBeGreaterThan(0);
    const seqBefore = await newestEventSeq(base);

    // The runs that exist before the commit, so that the new one can be told apart.
    await page.click('[data-testid="nav-runs"]');
    await page.locator('[data-testid="runs-page"]').waitFor();
    await page.locator('[data-testid="run-row"]').first().waitFor({ timeout: flowMs });
    const runsBefore = new Set((await attributes(page, '[data-testid="run-row"]', ['data-run-id'])).map(([runId]) => runId));

    const versionFile = join(repo, 'services/api/src/version.mjs');
    writeFileSync(versionFile, readFileSync(versionFile, 'utf8').replace(/VERSION = '[^']*'/, "VERSION = '1.0.1'"));
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', 'commit', '-qam', 'bump api'], { cwd: repo });

    // The runs page shows the new api run (live: no reload), and it opens.
    const id = await waitFor('a new api run on the runs page', async () => {
      const rows = await attributes(page, '[data-testid="run-row"]', ['data-run-id', 'data-workflow']);
      return rows.find(([runId, workflow]) => runId && !runsBefore.has(runId) && /api/i.test(workflow ?? ''))?.[0];
    });
    await page.click(`[data-testid="run-row"][data-run-id="${id}"] a`);
    await page.locator(`[data-testid="run-page"][data-run-id="${id}"]`).waitFor();

    // Its steps succeed and its log lines stream in.
    await page.locator('[data-testid="run-page"][data-status="succeeded"]').waitFor({ timeout: flowMs });
    await waitFor('every step succeeded', async () => {
      const steps = await attributes(page, '[data-testid="step"]', ['data-status']);
      return steps.length > 0 && steps.every(([status]) => status === 'succeeded' || status === 'skipped');
    });
    await page.locator('[data-testid="log-line"]').first().waitFor({ timeout: flowMs });
    expect(await page.locator('[data-testid="step"][data-status="succeeded"]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(screenshots, 'run.png'), fullPage: true });

    // The overview shows api at the new release, healthy in dev.
    await page.click('[data-testid="nav-overview"]');
    await waitFor('api at a new release and healthy in dev', async () => {
      const [[health, version] = []] = await attributes(page, serviceRow('api'), ['data-health', 'data-version']);
      return health === 'healthy' && Number(version) > versionBefore;
    });
    await page.screenshot({ path: join(screenshots, 'deployed.png'), fullPage: true });

    // The events page shows the deployment that followed the commit.
    await page.click('[data-testid="nav-events"]');
    await waitFor('a deployment.succeeded event after the commit', async () => {
      const seqs = await attributes(page, '[data-testid="event-row"][data-kind="deployment.succeeded"]', ['data-seq']);
      return seqs.some(([seq]) => Number(seq) > seqBefore);
    });
    await page.click('[data-testid="event-filter"][data-prefix="deployment."]');
    const kinds = (await attributes(page, '[data-testid="event-row"]', ['data-kind'])).map(([kind]) => kind ?? '');
    expect(kinds.length).toBeGreaterThan(0);
    expect(kinds.every((k) => k.startsWith('deployment.'))).toBe(true);
    await page.click('[data-testid="event-filter"][data-prefix=""]');
    await page.screenshot({ path: join(screenshots, 'events.png'), fullPage: true });
  }, 4 * flowMs);

  it('shows the hold on the board after a release fails its health check and is rolled back', async () => {
    onTestFailed(() => console.error(`slipway demo output (tail):\n${log().slice(-4000)}`));
    const repo = join(dataDir, 'data', 'demo-repo');
    const config = join(repo, 'slipway.yaml');
    // The api answers 404 there: the new instance never becomes healthy.
    writeFileSync(config, readFileSync(config, 'utf8').replace('    health:\n      path: /healthz\n', '    health:\n      path: /not-there\n      timeoutSeconds: 3\n'));
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', 'commit', '-qam', 'api: a health check that fails'], { cwd: repo });
    await page.click('[data-testid="nav-overview"]');
    const hold = page.locator('[data-env="dev"] [data-testid="env-hold"]');
    await hold.waitFor({ timeout: flowMs });
    expect(await hold.textContent()).toMatch(/Auto-promotion held\..*failed in dev.*Rolled back to v\d+/s);
    await page.locator(`${serviceRow('api')}[data-health="healthy"]`).waitFor({ timeout: flowMs });
    await page.screenshot({ path: join(screenshots, 'hold.png'), fullPage: true });
    // Diff: dev runs its desired release again (the one it rolled back to), so it is in sync.
    await page.locator('[data-env="dev"] [data-testid="diff-toggle"]').click();
    await page.locator('[data-env="dev"] [data-testid="env-diff"][data-in-sync="true"]').waitFor();
    await page.screenshot({ path: join(screenshots, 'diff.png'), fullPage: true });
  }, flowMs + 10_000);
});

async function newestEventSeq(base: string): Promise<number> {
  const res = await fetch(`${base}/api/events?newest=1&limit=1`);
  const body = (await res.json()) as { items: { seq: number }[] };
  return body.items.at(-1)?.seq ?? 0;
}

/** The given attributes of every element that matches selector, in document order. */
async function attributes(page: Page, selector: string, names: string[]): Promise<(string | null)[][]> {
  // The callback runs in the page; it is typed structurally because this program has no DOM lib.
  type WithAttributes = { getAttribute(name: string): string | null };
  return page.locator(selector).evaluateAll((els: WithAttributes[], attrs: string[]) => els.map((el) => attrs.map((a) => el.getAttribute(a))), names);
}
