// Starts `slipway demo` (what `npm start` runs) as a child process and reads its status and events over the API.
import { join } from 'node:path';
import { fatal, getJson, waitFor } from './util.mjs';
import { stopChild } from './processes.mjs';
import { spawnSlipway } from './server.mjs';

export const demoServices = ['api', 'web', 'worker'];

/**
 * Spawns the demo on `port` with its data in `dataDir`. `pid` is the node process running bin/slipway.mjs itself.
 * `options.logLevel` sets the level of `<dataDir>/server.log` (default `warn`).
 */
export function spawnDemo(dataDir, port, options = {}) {
  const { child, url, output } = spawnSlipway(['demo', '--data-dir', dataDir, '--quiet'], port, options);
  return {
    child,
    pid: child.pid,
    url,
    dataDir,
    repo: join(dataDir, 'demo-repo'),
    output,
    status: () => getJson(`${url}/api/status`),
    /** The newest `limit` events, in seq order. */
    events: async (limit = 200) => (await getJson(`${url}/api/events?newest=1&limit=${limit}`)).items.slice().sort((a, b) => a.seq - b.seq),
    stop: () => stopChild(child),
  };
}

/** Services of the first project's `env` as a map name → status row. */
export function servicesIn(status, env = 'dev') {
  const e = status.projects[0]?.environments.find((x) => x.name === env);
  return new Map((e?.services ?? []).map((s) => [s.service, s]));
}

/** Resolves with the status once every demo service is healthy in `env` (dev by default); polls every `intervalMs`. */
export function allHealthy(demo, timeoutMs = 90_000, intervalMs = 50, env = 'dev') {
  return waitFor(
    `api, web and worker healthy in ${env}`,
    async () => {
      if (demo.child.exitCode !== null) throw fatal(`the demo exited with ${demo.child.exitCode}: ${demo.output()}`);
      const svc = servicesIn(await demo.status(), env);
      return demoServices.every((n) => svc.get(n)?.health === 'healthy') ? svc : undefined;
    },
    timeoutMs,
    intervalMs,
  );
}
