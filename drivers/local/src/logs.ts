import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { logsInputSchema, type TargetDriver } from '@slipway/core';
import { logFile, serviceDir } from './paths.js';
import type { ServiceTable } from './service-table.js';
import { readLastLines } from './tail-file.js';

type LogsInput = Parameters<TargetDriver['logs']>[0];

/**
 * The last lines of the serving instance's log. With no instance serving (say, its first start failed), the newest
 * log of the service, so that the reason stays visible.
 */
export async function readServiceLogs(table: ServiceTable, stateDir: string, input: LogsInput): Promise<{ lines: string[] }> {
  const { environment, service, tail } = logsInputSchema.parse(input);
  const current = table.get(environment, service)?.record.instance;
  const file = current ? logFile(stateDir, environment, service, current.id) : await newestLog(serviceDir(stateDir, environment, service));
  return { lines: file ? await readLastLines(file, tail) : [] };
}

async function newestLog(dir: string): Promise<string | null> {
  try {
    // Instance ids start with a base-36 timestamp, so the last name is the newest.
    const newest = (await readdir(dir)).filter((name) => name.endsWith('.log')).sort().at(-1);
    return newest ? join(dir, newest) : null;
  } catch {
    return null;
  }
}
