import { SlipwayError, splitWords } from '@slipway/core';

/** What Slipway takes from a `container.options` or `services.<id>.options` string (`docker create` flags). */
export interface ContainerOptions {
  env: string[];
  healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number };
  entrypoint?: string[];
  user?: string;
  workdir?: string;
}

/** Flags that take a value, by every spelling. GitHub passes `options` to `docker create`; these are the ones jobs use. */
const valueFlags: Record<string, string> = {
  '-e': 'env',
  '--env': 'env',
  '--health-cmd': 'health-cmd',
  '--health-interval': 'health-interval',
  '--health-timeout': 'health-timeout',
  '--health-retries': 'health-retries',
  '--health-start-period': 'health-start-period',
  '--entrypoint': 'entrypoint',
  '-u': 'user',
  '--user': 'user',
  '-w': 'workdir',
  '--workdir': 'workdir',
};

/**
 * Parses the `options` string of a job or service container. Only the flags above (and `--no-healthcheck`) are
 * understood; any other flag is refused by name, because silently dropping one (say `--privileged`) would run the job
 * differently from what the workflow asks. `where` is the key path for the message, e.g. `services.db.options`.
 */
export function parseContainerOptions(options: string | undefined, where: string): ContainerOptions {
  const result: ContainerOptions = { env: [] };
  const words = splitWords(options ?? '', where);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--no-healthcheck') {
      result.healthcheck = { Test: ['NONE'] };
      continue;
    }
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const flag = eq > 0 ? word.slice(0, eq) : word;
    const name = valueFlags[flag];
    if (!name) {
      throw new SlipwayError('SLW_WORKFLOW_INVALID', `${where}: the Docker executor does not support the option ${JSON.stringify(flag)}`, {
        path: where,
        hint: `Supported options: ${[...new Set(Object.keys(valueFlags))].join(', ')}, --no-healthcheck.`,
      });
    }
    const value = eq > 0 ? word.slice(eq + 1) : words[++i];
    if (value === undefined) throw new SlipwayError('SLW_WORKFLOW_INVALID', `${where}: the option ${flag} needs a value`, { path: where });
    apply(result, name, value, where);
  }
  return result;
}

function apply(result: ContainerOptions, name: string, value: string, where: string): void {
  // Timings without --health-cmd keep the image's own check, as `docker create` does: an empty Test inherits it.
  const health = () => (result.healthcheck ??= { Test: [] });
  switch (name) {
    case 'env':
      result.env.push(value);
      break;
    case 'health-cmd':
      health().Test = ['CMD-SHELL', value];
      break;
    case 'health-interval':
      health().Interval = durationNs(value, where);
      break;
    case 'health-timeout':
      health().Timeout = durationNs(value, where);
      break;
    case 'health-start-period':
      health().StartPeriod = durationNs(value, where);
      break;
    case 'health-retries':
      health().Retries = Number.parseInt(value, 10);
      break;
    case 'entrypoint':
      result.entrypoint = [value];
      break;
    case 'user':
      result.user = value;
      break;
    case 'workdir':
      result.workdir = value;
      break;
  }
}

const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A Go duration (`10s`, `1m30s`, `500ms`) in nanoseconds, as the Engine API wants health check timings. */
export function durationNs(text: string, where: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new SlipwayError('SLW_WORKFLOW_INVALID', `${where}: ${JSON.stringify(text)} is not a duration (for example 10s, 1m30s or 500ms)`, { path: where });
  }
  return Math.round(parts.reduce((ns, p) => ns + Number(p[1]) * units[p[2]!]!, 0));
}

