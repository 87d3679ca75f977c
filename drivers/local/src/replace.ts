import { randomBytes } from 'node:crypto';
import type { DesiredService } from '@slipway/core';
import { waitForHealth, type WaitOutcome } from './health-probe.js';
import { describeExit, spawnInstance, type ExitInfo } from './instance.js';
import { pruneLogs } from './log-retention.js';
import { logFile, serviceDir } from './paths.js';
import { freePort } from './ports.js';
import { isRunning, stopGroup } from './process-group.js';
import { instancesOf, type ServiceRuntime, type ServiceTable } from './service-table.js';
import type { InstanceRecord } from './state-file.js';
import { readLastLines } from './tail-file.js';

/** How long a stopped instance may take to exit after SIGTERM before it gets SIGKILL. */
export const stopGraceMs = 5_000;
// Requests already proxied to the old instance get this long to finish before it is stopped.
const drainMs = 5_000;
const outputLines = 10;
// Logs of replaced instances are kept for a while, for post-mortems; older ones are deleted.
const keptLogs = 5;

/** What a replacement needs: where to bind and log, the service table, the abort signal and a progress sink. */
export interface ReplaceContext {
  host: string;
  stateDir: string;
  table: ServiceTable;
  signal: AbortSignal;
  progress: (message: string) => void;
}

/**
 * Starts the new instances of a service (its replicas, one by default), waits for all of them to become healthy, moves
 * the stable port to them and stops the previous ones. When a new instance fails (unhealthy, exits, aborted), every new
 * one is stopped and the previous ones keep serving. Returns null on success, else a message that says why.
 */
export async function replaceInstance(ctx: ReplaceContext, desired: DesiredService, environment: string): Promise<string | null> {
  const runtime = await ctx.table.ensure(environment, desired.service, desired.port);
  const started = await startHealthy(ctx, runtime, desired, environment);
  if (typeof started === 'string') return started;
  await switchTo(ctx, runtime, started);
  return null;
}

/**
 * Starts the desired revision's instances (its replicas) next to what serves and waits until all are healthy. On a
 * failure every new one is stopped and a message says why; the previous instances keep serving.
 */
export async function startHealthy(ctx: ReplaceContext, runtime: ServiceRuntime, desired: DesiredService, environment: string): Promise<InstanceRecord[] | string> {
  const count = desired.replicas ?? 1;
  const started: Started[] = [];
  try {
    for (let i = 0; i < count; i++) started.push(await startOne(ctx, runtime, desired, environment));
    runtime.pending = started[0]!.instance;
    ctx.progress(`waiting for health: GET ${desired.health.path} on port${count > 1 ? 's' : ''} ${started.map((s) => s.instance.port).join(', ')}`);
    const outcomes = await Promise.all(
      started.map((s) =>
        waitForHealth({ host: ctx.host, port: s.instance.port, path: desired.health.path, intervalMs: desired.health.intervalSeconds * 1000, timeoutMs: desired.health.timeoutSeconds * 1000, exited: s.exited, signal: ctx.signal }),
      ),
    );
    const bad = outcomes.findIndex((o) => o.status !== 'healthy');
    if (bad >= 0) {
      await Promise.all(started.map((s) => stopGroup(s.instance.pid, s.instance.id, stopGraceMs)));
      const previous = runtime.record.instance;
      const kept = previous && isRunning(previous.pid, previous.id) ? `; instance ${previous.id} (revision ${previous.revision.slice(0, 12)}) keeps serving` : '';
      const failed = started[bad]!;
      const output = await readLastLines(failed.log, outputLines);
      return `instance ${failed.instance.id} failed: ${describeFailure(outcomes[bad] as Exclude<WaitOutcome, { status: 'healthy' }>, desired, failed.instance.port)}${kept}; output: ${output.length ? `\n${output.join('\n')}` : '(none)'}`;
    }
  } finally {
    runtime.pending = null;
    for (const s of started) ctx.table.exits.delete(s.instance.id);
  }
  return started.map((s) => s.instance);
}

interface Started {
  instance: InstanceRecord;
  exited: Promise<ExitInfo>;
  log: string;
}

/** Spawns one instance of the desired revision on a free port, with its own log. */
async function startOne(ctx: ReplaceContext, runtime: ServiceRuntime, desired: DesiredService, environment: string): Promise<Started> {
  const id = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const port = await freePort(ctx.host);
  const log = logFile(ctx.stateDir, environment, desired.service, id);
  ctx.progress(`starting instance ${id} (revision ${desired.revision.slice(0, 12)}) on port ${port}`);
  const spawned = await spawnInstance({ id, command: desired.command, cwd: desired.artifact, env: desired.env, host: ctx.host, port, logFile: log });
  void spawned.exited.then((exit) => {
    // Only the exit of an instance that still matters (starting or serving) is worth a message.
    if (runtime.pending?.id === id || ctx.table.serves(runtime, id)) ctx.table.exits.set(id, exit);
  });
  return { instance: { id, pid: spawned.pid, port, revision: desired.revision, releaseId: desired.releaseId, startedAt: spawned.startedAt, healthPath: desired.health.path }, exited: spawned.exited, log };
}

/** Moves traffic to the new instances, records them, then drains and stops the old ones. */
export async function switchTo(ctx: ReplaceContext, runtime: ServiceRuntime, instances: InstanceRecord[]): Promise<void> {
  const old = instancesOf(runtime.record);
  runtime.proxy?.setUpstreams(instances.map((i) => i.port));
  runtime.proxy?.setVersion(instances[0]!.revision);
  ctx.table.setInstance(runtime, instances[0]!, instances.slice(1));
  ctx.progress(`switched traffic to instance${instances.length > 1 ? 's' : ''} ${instances.map((i) => i.id).join(', ')}`);
  for (const o of old) {
    await runtime.proxy?.drain(o.port, drainMs);
    await stopGroup(o.pid, o.id, stopGraceMs);
    ctx.table.exits.delete(o.id);
    ctx.progress(`stopped old instance ${o.id}`);
  }
  await pruneLogs(serviceDir(ctx.stateDir, runtime.environment, runtime.service), keptLogs + instances.length - 1, instances[0]!.id);
}

function describeFailure(outcome: Exclude<WaitOutcome, { status: 'healthy' }>, desired: DesiredService, port: number): string {
  const check = `health check GET ${desired.health.path} on port ${port}`;
  switch (outcome.status) {
    case 'timeout':
      return `${check} did not answer 2xx within ${desired.health.timeoutSeconds}s (last: ${outcome.last})`;
    case 'exited':
      return `exited with ${describeExit(outcome.exit)} before it became healthy (${check}, last: ${outcome.last})`;
    case 'aborted':
      return `aborted while waiting for health (${check}, last: ${outcome.last})`;
  }
}
