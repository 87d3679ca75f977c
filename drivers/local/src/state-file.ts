import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SlipwayError } from '@slipway/core';

/** The instance that serves a service, as persisted: enough to adopt, probe and stop it after a restart. */
export interface InstanceRecord {
  id: string;
  pid: number;
  port: number;
  revision: string;
  releaseId: string;
  startedAt: string;
  healthPath: string;
}

/** One service of one environment: its stable port and the instance that serves it, if any. */
export interface ServiceRecord {
  port: number;
  instance: InstanceRecord | null;
  /** More instances of the same revision behind the stable port (replicas beyond the first); absent means none. */
  replicas?: InstanceRecord[];
  /** Instances that run without serving on their own: a canary or preview, or the old version kept warm. */
  standby?: InstanceRecord[];
}

/** Everything the local driver must remember across restarts of the server. */
export interface DriverState {
  version: 1;
  environments: Record<string, Record<string, ServiceRecord>>;
}

const fileName = 'state.json';

/** Loads `<stateDir>/state.json`; an absent file is an empty state, an unreadable one is an error. */
export function loadState(stateDir: string): DriverState {
  const path = join(stateDir, fileName);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, environments: {} };
    throw unreadable(path, err);
  }
  try {
    const state: unknown = JSON.parse(text);
    if (!isDriverState(state)) throw new Error('unexpected structure');
    return state;
  } catch (err) {
    throw unreadable(path, err);
  }
}

/**
 * Writes the state atomically: a temporary file, fsync, rename. A crash leaves the old or the new state, never half
 * of one. Synchronous on purpose: the file is small, and the on-disk order of writes then always equals the
 * in-memory order without a write queue.
 */
export function saveState(stateDir: string, state: DriverState): void {
  mkdirSync(stateDir, { recursive: true });
  const path = join(stateDir, fileName);
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

function unreadable(path: string, cause: unknown): SlipwayError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new SlipwayError('SLW_INTERNAL', `the local driver state file ${path} cannot be read: ${reason}`, {
    cause,
    hint: 'Stop the instances it lists (or restore it from its contents), then delete the file and start again.',
  });
}

function isDriverState(value: unknown): value is DriverState {
  if (!isObject(value) || value.version !== 1 || !isObject(value.environments)) return false;
  return Object.values(value.environments).every((services) => isObject(services) && Object.values(services).every(isServiceRecord));
}

function isServiceRecord(value: unknown): boolean {
  if (!isObject(value) || !Number.isInteger(value.port)) return false;
  if (value.replicas !== undefined && !(Array.isArray(value.replicas) && value.replicas.every(isInstanceRecord))) return false;
  return value.instance === null || isInstanceRecord(value.instance);
}

function isInstanceRecord(instance: unknown): boolean {
  return (
    isObject(instance) &&
    Number.isInteger(instance.pid) &&
    Number.isInteger(instance.port) &&
    ['id', 'revision', 'releaseId', 'startedAt', 'healthPath'].every((key) => typeof instance[key] === 'string')
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
