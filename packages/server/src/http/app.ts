import { OpenAPIHono } from '@hono/zod-openapi';
import { SlipwayError, type TrafficControl } from '@slipway/core';
import { createSecretResolver, type Engine, type Logger, type SecretBox } from '@slipway/engine';
import type { Registry } from 'prom-client';
import { authenticate } from '../auth/middleware.js';
import type { AppEnv } from './env.js';
import { errorResponse } from './errors.js';
import { loginPage } from './login-page.js';
import { eventRoutes } from './routes/events.js';
import { projectRoutes } from './routes/projects.js';
import { releaseRoutes } from './routes/releases.js';
import { rolloutRoutes } from './routes/rollouts.js';
import { runRoutes } from './routes/runs.js';
import { secretRoutes } from './routes/secrets.js';
import { statusRoutes } from './routes/status.js';
import { insightsRoutes } from './routes/insights.js';
import { tokenRoutes } from './routes/tokens.js';
import { webhookRoutes } from './routes/webhooks.js';
import { createWebhookReceiver } from '../webhooks/receive.js';
import { serveDashboard } from './static.js';
import { trafficMetricsText } from '../traffic-metrics.js';

export interface AppOptions {
  engine: Engine;
  /** Seals secret values before they reach the store. */
  secretBox: SecretBox;
  registry: Registry;
  logger: Logger;
  openLoopback: boolean;
  webDir?: string;
  version: string;
  /** The targets' traffic control, whose proxies' RED metrics /metrics exports. */
  trafficControls?: (TrafficControl | undefined)[];
}

/** The HTTP surface: REST API with its OpenAPI document, SSE streams, /healthz, /metrics and the dashboard. */
export function createApp(options: AppOptions): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.onError((err, c) => {
    if (err instanceof SlipwayError && err.code === 'SLW_AUTH_REQUIRED' && !c.req.path.startsWith('/api/') && c.req.header('accept')?.includes('text/html')) {
      return c.html(loginPage, 401);
    }
    return errorResponse(err, c, options.logger);
  });
  app.notFound((c) => errorResponse(new SlipwayError('SLW_NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`, { hint: 'See /api/openapi.json for the API.' }), c, options.logger));
  app.get('/healthz', (c) => c.json({ status: 'ok', version: options.version }));
  app.use('*', authenticate({ store: options.engine.store, openLoopback: options.openLoopback }));
  app.get('/metrics', async (c) => c.body(`${await options.registry.metrics()}${await trafficMetricsText(options.engine.store, options.trafficControls ?? [])}`, 200, { 'content-type': options.registry.contentType }));
  for (const routes of [projectRoutes, runRoutes, releaseRoutes, rolloutRoutes, statusRoutes, insightsRoutes, eventRoutes, tokenRoutes]) app.route('/', routes(options.engine));
  app.route('/', secretRoutes(options.engine, options.secretBox));
  const secrets = createSecretResolver(options.engine.store, options.secretBox);
  app.route('/', webhookRoutes(createWebhookReceiver({ engine: options.engine, secrets, logger: options.logger })));
  app.doc31('/api/openapi.json', { openapi: '3.1.0', info: { title: 'Slipway API', version: options.version, description: 'Continuous delivery from commit to production.' } });
  app.all('/api/*', (c) => errorResponse(new SlipwayError('SLW_NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`, { hint: 'See /api/openapi.json for the API.' }), c, options.logger));
  app.get('*', serveDashboard(options.webDir));
  return app;
}
