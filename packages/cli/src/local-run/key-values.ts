import { SlipwayError } from '@slipway/core';

/**
 * Parses repeated `--flag key=value` options into a map; the value may hold `=`. With `allowBare`, a bare `NAME` takes its
 * value from `env` (as act's `-s NAME` does), so that a secret need not be typed on the command line. Pure.
 */
export function parseAssignments(values: readonly string[], flag: string, options: { allowBare?: boolean; env?: Record<string, string | undefined> } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq < 0 && options.allowBare) {
      const value = options.env?.[v];
      if (value === undefined) throw new SlipwayError('SLW_USAGE', `${flag} ${v}: the environment variable ${v} is not set`, { hint: `Set ${v} in the environment, or write ${flag} ${v}=value.` });
      out[v] = value;
      continue;
    }
    if (eq <= 0) throw new SlipwayError('SLW_USAGE', `${flag} "${v}" is not key=value`, { hint: `Write ${flag} name=value.` });
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}
