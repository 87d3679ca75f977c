import { SlipwayError, splitWords } from '@slipway/core';

/** A readiness probe from Docker's `--health-*` flags: a service counts as started once it passes. */
export interface HealthProbe {
  command: string;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  initialDelaySeconds?: number;
}

/** What the Kubernetes executor takes from a `container.options` or `services.<id>.options` string (`docker create` flags). */
export interface PodContainerOptions {
  env: { name: string; value: string }[];
  entrypoint?: string;
  workdir?: string;
  runAsUser?: number;
  runAsGroup?: number;
  /** `--cpus` and `--memory`, as Kubernetes quantities. */
  cpu?: string;
  memory?: string;
  health?: HealthProbe;
}

const valueFlags: Record<string, string> = {
  '-e': 'env',
  '--env': 'env',
  '--entrypoint': 'entrypoint',
  '-w': 'workdir',
  '--workdir': 'workdir',
  '-u': 'user',
  '--user': 'user',
  '--cpus': 'cpus',
  '-m': 'memory',
  '--memory': 'memory',
  '--health-cmd': 'health-cmd',
  '--health-interval': 'health-interval',
  '--health-timeout': 'health-timeout',
  '--health-retries': 'health-retries',
  '--health-start-period': 'health-start-period',
};

const invalid = (where: string, message: string, hint?: string) => new SlipwayError('SLW_WORKFLOW_INVALID', `${where}: ${message}`, { path: where, ...(hint ? { hint } : {}) });

/**
 * Parses the `options` of a job or service container for a pod. Any other flag is refused by name: silently dropping
 * one (`--privileged`, `--network`) would run the job differently from what the workflow asks. `where` is the key path.
 */
export function parseContainerOptions(options: string | undefined, where: string): PodContainerOptions {
  const result: PodContainerOptions = { env: [] };
  const words = splitWords(options ?? '', where);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--no-healthcheck') {
      delete result.health;
      continue;
    }
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const flag = eq > 0 ? word.slice(0, eq) : word;
    const name = valueFlags[flag];
    if (!name) {
      throw invalid(where, `the Kubernetes executor does not support the option ${JSON.stringify(flag)}`, `Supported options: ${Object.keys(valueFlags).join(', ')}, --no-healthcheck.`);
    }
    const value = eq > 0 ? word.slice(eq + 1) : words[++i];
    if (value === undefined) throw invalid(where, `the option ${flag} needs a value`);
    apply(result, name, value, where);
  }
  return result;
}

function apply(result: PodContainerOptions, name: string, value: string, where: string): void {
  // Timings without --health-cmd have no probe to time: Kubernetes does not run an image's HEALTHCHECK.
  const health = () => (result.health ??= { command: '' });
  switch (name) {
    case 'env': {
      const eq = value.indexOf('=');
      // `-e NAME` alone passes the variable of the docker CLI's own environment: there is none here.
      if (eq <= 0) throw invalid(where, `-e ${value}: give the variable a value (NAME=value)`);
      result.env.push({ name: value.slice(0, eq), value: value.slice(eq + 1) });
      break;
    }
    case 'entrypoint':
      result.entrypoint = value;
      break;
    case 'workdir':
      result.workdir = value;
      break;
    case 'user': {
      const match = /^(\d+)(?::(\d+))?$/.exec(value);
      if (!match) throw invalid(where, `--user ${value}: a pod needs a numeric uid[:gid]`, 'Kubernetes sets runAsUser by number; use the id of the user in the image.');
      result.runAsUser = Number(match[1]);
      if (match[2] !== undefined) result.runAsGroup = Number(match[2]);
      break;
    }
    case 'cpus':
      if (!/^\d+(\.\d{1,3})?$/.test(value) || Number(value) <= 0) throw invalid(where, `--cpus ${value} is not a number of CPUs (for example 0.5 or 2)`);
      result.cpu = value;
      break;
    case 'memory':
      result.memory = memoryQuantity(value, where);
      break;
    case 'health-cmd':
      health().command = value;
      break;
    case 'health-interval':
      health().periodSeconds = seconds(value, where);
      break;
    case 'health-timeout':
      health().timeoutSeconds = seconds(value, where);
      break;
    case 'health-start-period':
      health().initialDelaySeconds = seconds(value, where);
      break;
    case 'health-retries':
      if (!/^\d+$/.test(value)) throw invalid(where, `--health-retries ${value} is not a number`);
      health().failureThreshold = Math.max(1, Number(value));
      break;
  }
}

const memoryUnits: Record<string, string> = { '': '', b: '', k: 'Ki', m: 'Mi', g: 'Gi', t: 'Ti' };

/** Docker's `--memory` (`512m`, `2g`: binary units) as a Kubernetes quantity (`512Mi`, `2Gi`). */
export function memoryQuantity(value: string, where: string): string {
  const match = /^(\d+)([bkmgt]?)$/i.exec(value);
  if (!match || Number(match[1]) === 0) throw invalid(where, `--memory ${value} is not an amount of memory (for example 512m or 2g)`);
  return `${match[1]}${memoryUnits[match[2]!.toLowerCase()]}`;
}

const units: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** A Go duration (`10s`, `1m30s`) in whole seconds, at least 1: probes count in seconds. */
export function seconds(text: string, where: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw invalid(where, `${JSON.stringify(text)} is not a duration (for example 10s, 1m30s or 500ms)`);
  }
  return Math.max(1, Math.ceil(parts.reduce((s, p) => s + Number(p[1]) * units[p[2]!]!, 0)));
}
