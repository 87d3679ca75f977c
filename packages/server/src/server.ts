import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { pino } from 'pino';
import { SlipwayError, type Store, type TargetDriver } from '@slipway/core';
import { createLocalDriver } from '@slipway/driver-local';
import { createDockerDriver } from '@slipway/driver-docker';
import { createKubernetesDriver } from '@slipway/driver-kubernetes';
import { kubernetesTargets } from './kubernetes-targets.js';
import { createDockerImageBuilder } from '@slipway/integration-image-docker';
import { createOciRegistry } from '@slipway/integration-registry-oci';
import { createEngine, createSecretBox, type Engine, type Logger } from '@slipway/engine';
import { createDockerExecutor } from '@slipway/executor-docker';
import { createKubernetesExecutor } from '@slipway/executor-kubernetes';
import { createGitSource } from '@slipway/integration-git';
import { createGitHosts } from '@slipway/integration-git-hosts';
import { createWebhookNotifier } from '@slipway/integration-notify-webhook';
import { createStore } from '@slipway/store';
import { isLoopback } from './auth/bind.js';
import { gitCredentials } from './git-credentials.js';
import { createApp } from './http/app.js';
import { createGitMetrics } from './git-metrics.js';
import { createMetrics } from './metrics.js';
import { createDoraMetrics } from './dora-metrics.js';
import { kubernetesExecutorSettings, type KubernetesExecutorSettings } from './kubernetes-executor-settings.js';

export interface ServerOptions {
  host?: string;
  port?: number;
  /** Where the embedded database, git mirrors, workspaces, artifacts and local instances live. */
  dataDir: string;
  /** A postgres:// URL; default: SQLite in the data dir. */
  database?: string;
  /** Require a token even on loopback. */
  requireAuth?: boolean;
  webDir?: string;
  logger?: Logger;
  version?: string;
  resyncMs?: number;
  /** Runs jobs with `runs-on: kubernetes` in pods; default from SLIPWAY_KUBECONFIG and SLIPWAY_CI_NAMESPACE (see kubernetes-executor-settings.ts). */
  kubernetesExecutor?: KubernetesExecutorSettings;
}

export interface RunningServer {
  readonly url: string;
  readonly engine: Engine;
  readonly store: Store;
  readonly driver: TargetDriver;
  /** Stops serving and the loops. With stopInstances, also stops every service instance the local target runs. */
  stop(options?: { stopInstances?: boolean }): Promise<void>;
}

/** The one composition root: builds every adapter, hands the ports to the engine and serves HTTP. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? pino({ base: undefined, level: process.env.SLIPWAY_LOG_LEVEL ?? 'info' });
  const version = options.version ?? '0.1.0';
  const store = await createStore({ database: options.database, dataDir: options.dataDir });
  try {
    const openLoopback = isLoopback(host) && !options.requireAuth;
    if (!openLoopback) {
      const admins = (await store.listTokens()).filter((t) => t.role === 'admin');
      if (admins.length === 0) throw new SlipwayError('SLW_AUTH_NOT_CONFIGURED', `refusing to bind ${host} without authentication: no admin token exists`);
    }
    // With the embedded SQLite database this process is the only worker, so every lease left behind is from a dead process.
    if (store.dialect === 'sqlite') {
      const expired = await store.expireAllLeases();
      if (expired > 0) logger.warn({ expired }, 'recovered jobs from a previous server that stopped without finishing them');
    }
    const secretBox = await createSecretBox({ dataDir: options.dataDir });
    if (store.dialect === 'postgres' && secretBox.keySource === 'file') {
      logger.warn({ dataDir: options.dataDir }, 'secrets are sealed with the key file in this data dir; give every server of this database the same SLIPWAY_SECRET_KEY');
    }
    const driver = await createLocalDriver({ stateDir: join(options.dataDir, 'targets', 'local') });
    // The Docker target talks to the daemon only when an environment uses it.
    const dockerDriver = await createDockerDriver();
    const dockerExecutor = createDockerExecutor();
    // Only loads the kubeconfig: the cluster is contacted by the first job that runs there.
    const kubernetesSettings = kubernetesExecutorSettings(options.kubernetesExecutor, process.env);
    const kubernetesExecutor = kubernetesSettings ? createKubernetesExecutor(kubernetesSettings) : undefined;
    // The Kubernetes target connects to a cluster when an environment on it is first reconciled.
    const kubernetesDriver = createKubernetesDriver({ targetOf: kubernetesTargets(store, secretBox, options.dataDir) });
    let url = '';
    const gitMetrics = createGitMetrics();
    const engine = createEngine({
      store,
      source: gitMetrics.instrument(createGitSource({ mirrorsDir: join(options.dataDir, 'mirrors'), credentials: gitCredentials(store, secretBox) })),
      driver,
      drivers: { docker: dockerDriver, kubernetes: kubernetesDriver },
      dataDir: options.dataDir,
      dockerExecutor,
      ...(kubernetesExecutor ? { kubernetesExecutor } : {}),
      secretBox,
      serverUrl: () => url,
      gitHosts: createGitHosts(),
      notifier: createWebhookNotifier(),
      images: { builder: createDockerImageBuilder(), registry: createOciRegistry(), version },
      logger,
      resyncMs: options.resyncMs,
    });
    const metrics = createMetrics(store, engine.bus, [gitMetrics.fetches, gitMetrics.lsRemotes, ...createDoraMetrics(engine)]);
    const app = createApp({ engine, secretBox, registry: metrics.registry, logger, openLoopback, webDir: options.webDir, version, trafficControls: [driver.traffic, dockerDriver.traffic] });
    const server = await listen(app.fetch, host, options.port ?? 7070);
    const port = (server.address() as AddressInfo).port;
    url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    // Job containers and networks that a killed server left behind; those of live processes are left alone.
    void dockerExecutor.cleanupOrphans().then(
      (n) => n > 0 && logger.warn({ removed: n }, 'removed containers and networks that a stopped Slipway left behind'),
      () => {},
    );
    // Job pods that a killed server left behind in the CI namespace; a cluster that does not answer is the first job's error.
    void kubernetesExecutor?.cleanupOrphans().then(
      (n) => n > 0 && logger.warn({ removed: n, namespace: kubernetesSettings?.namespace }, 'removed job pods that a stopped Slipway left behind'),
      (err: unknown) => logger.warn({ err: (err as Error).message }, 'could not look for job pods left behind'),
    );
    await engine.start();
    await engine.bus.emit({ kind: 'server.started', message: `Slipway ${version} listening on ${url} (${store.dialect})`, data: { url, dialect: store.dialect } });
    logger.info({ url, dialect: store.dialect, dataDir: options.dataDir }, 'server started');
    let stopping: Promise<void> | undefined;
    return {
      url,
      engine,
      store,
      driver: engine.driver,
      stop(stopOptions) {
        stopping ??= (async () => {
          server.closeAllConnections?.();
          await new Promise<void>((resolve) => server.close(() => resolve()));
          await engine.stop();
          metrics.stop();
          if (stopOptions?.stopInstances) await Promise.all([driver.stopAll(), dockerDriver.stopAll()]);
          await Promise.all([driver.close(), dockerDriver.close(), kubernetesDriver.close()]);
          await store.close();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
}

function listen(fetch: (req: Request) => Response | Promise<Response>, hostname: string, port: number): Promise<ServerType & { closeAllConnections?: () => void; address(): AddressInfo | string | null }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server as never));
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new SlipwayError('SLW_CONFLICT', `${hostname}:${port} is already in use`, { hint: 'Stop the other server, or pick another port with --port.' }) : err);
    });
  });
}
