import type { DesiredService } from './contract.js';
import type { RequestSample } from '../rollout/measurement.js';

/** Where new requests go while a second version runs: a weight in percent and, optionally, a header for A/B. */
export interface TrafficRoute {
  weight: number;
  header?: { name: string; value: string };
}

/** Requests through one service's stable address, per version, since the proxy started (for /metrics). */
export interface TrafficTotals {
  environment: string;
  service: string;
  version: string;
  requests: number;
  errors: number;
  /** Cumulative counts per bucket bound (seconds), then +Inf. */
  buckets: { le: number; count: number }[];
  count: number;
  sumSeconds: number;
}

/**
 * Traffic control of a target whose stable address is Slipway's own proxy (local, Docker): a second version next to
 * the stable one, taking a share of requests (canary, blue-green preview), promoted or aborted at once, with the
 * requests of each version recorded for analysis.
 */
export interface TrafficControl {
  /** Starts the desired revision next to the serving one and, once healthy, routes `route` to it. Null on success, else why it failed. */
  startCanary(environment: string, desired: DesiredService, route: TrafficRoute, progress?: (message: string) => void): Promise<string | null>;
  /** The revision of the second version running for the service, if any. */
  canaryRevision(environment: string, service: string): string | null;
  setRoute(environment: string, service: string, route: TrafficRoute): Promise<void>;
  /** All traffic to the second version at once; the old one stays warm for `keepWarmMs` (switch back), then stops. */
  promote(environment: string, service: string, keepWarmMs: number): Promise<void>;
  /** All traffic back to the version that was switched away from, while it is still warm. False when it is gone. */
  switchBack(environment: string, service: string): Promise<boolean>;
  /** All traffic back to the stable version at once, and the second version stopped. */
  abort(environment: string, service: string): Promise<void>;
  /** The requests since `sinceMs` (epoch ms), with their version (revision). */
  samples(environment: string, service: string, sinceMs: number): RequestSample[];
  totals(): TrafficTotals[];
}
