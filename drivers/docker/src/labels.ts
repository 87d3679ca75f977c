/** Labels of every container the Docker target runs: which environment, service, revision and release, and its stable port. */
export const labels = {
  driver: 'dev.slipway.target',
  environment: 'dev.slipway.environment',
  service: 'dev.slipway.service',
  revision: 'dev.slipway.revision',
  release: 'dev.slipway.release',
  stablePort: 'dev.slipway.stable-port',
  /** The limits the container was made with (`<memory bytes>/<nano cpus>`), to find a `docker update` by hand. */
  limits: 'dev.slipway.limits',
} as const;

/** A Docker object name: [a-zA-Z0-9][a-zA-Z0-9_.-]*. */
export const dockerName = (...parts: string[]) => `slipway-${parts.map((p) => p.replace(/[^a-zA-Z0-9_.-]/g, '-')).join('-')}`;

/** The network of an environment: its services reach each other by service name. */
export const networkName = (environment: string) => dockerName('env', environment);
