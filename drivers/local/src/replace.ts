import { randomBytes } from 'node:crypto';
import type { DesiredService } from '@slipway/core';
import { waitForHealth, type WaitOutcome } from './health-probe.js';
import { describeExit, spawnInstance } from './instance.js';
import { pruneLogs } from './log-retention.js';
import { logFile, serviceDir } from './paths.js';
import { freePort } from './ports.js';
import { isRunning, stopGroup } from './process-group.js';
import type { ServiceRuntime, ServiceTable } from './service-table.js';
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
 * Starts a new instance of a service, waits for it to become healthy, moves the stable port to it and stops the
 * previous one. When the new instance fails (unhealthy, exits, aborted), it is stopped and the previous one keeps
 * serving. Returns null on success, else a message that says why.
 */
export async function replaceInstance(ctx: ReplaceContext, desired: DesiredService, environment: string): Promise<string | null> {
  const runtime = await ctx.table.ensure(environment, desired.service, desired.port);
  const id = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const port = await freePort(ctx.host);
  const log = logFile(ctx.stateDir, environment, desired.service, id);
  ctx.progress(`starting instance ${id} (revision ${desired.revision.slice(0, 12)}) on port ${port}`);
  const spawned = await spawnInstance({ id, command: desired.command, cwd: desired.artifact, env: desired.env, host: ctx.host, port, logFile: log });
  void spawned.exited.then((exit) => {
    // Only the exit of an instance that still matters (starting or serving) is worth a message.
    if (runtime.pending?.id === id || runtime.record.instance?.id === id) ctx.table.exits.set(id, exit);
  });
  const instance: InstanceRecord = { id, pid: spawned.pid, port, revision: desired.revision, releaseId: desired.releaseId, startedAt: spawned.startedAt, healthPath: desired.health.path };
  runtime.pending = instance;
  try {
    ctx.progress(`waiting for health: GET ${desired.health.path} on port ${port}`);
    const outcome = await waitForHealth({
      host: ctx.host,
      port,
      path: desired.health.path,
      intervalMs: desired.health.intervalSeconds * 1000,
      timeoutMs: desired.health.timeoutSeconds * 1000,
      exited: spawned.exited,
      signal: ctx.signal,
    });
    if (outcome.status !== 'healthy') {
      await stopGroup(instance.pid, id, stopGraceMs);
      const previous = runtime.record.instance;
      const kept = previous && isRunning(previous.pid, previous.id) ? `; instance ${previous.id} (revision ${previous.revision.slice(0, 12)}) keeps serving` : '';
      const output = await readLastLines(log, outputLines);
      return `instance ${id} failed: ${describeFailure(outcome, desired, port)}${kept}; output: ${output.length ? `\n${output.join('\n')}` : '(none)'}`;
    }
  } finally {
    runtime.pending = null;
    ctx.table.exits.delete(id);
  }
  await switchTo(ctx, runtime, instance);
  return null;
}

/** Moves traffic to the new instance, records it, then drains and stops the old one. */
async function switchTo(ctx: ReplaceContext, runtime: ServiceRuntime, instance: InstanceRecord): Promise<void> {
  const old = runtime.record.instance;
  runtime.proxy?.setUpstream(instance.port);
  ctx.table.setInstance(runtime, instance);
  ctx.progress(`switched traffic to instance ${instance.id}`);
  if (old) {
    await runtime.proxy?.drain(old.port, drainMs);
    await stopGroup(old.pid, old.id, stopGraceMs);
    ctx.table.exits.delete(old.id);
    ctx.progress(`stopped old instance ${old.id}`);
  }
  await pruneLogs(serviceDir(ctx.stateDir, runtime.environment, runtime.service), keptLogs, instance.id);
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
