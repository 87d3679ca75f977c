import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SlipwayError, type ServiceConfig, type SourceRef } from '@slipway/core';
import type { EngineContext } from '../context.js';
import { literalPrefix } from './revision.js';

/**
 * Builds a service for the local target: its source (and shared paths) at a commit, in a directory named by its revision,
 * then its build command. An artifact that exists already is reused, so an unchanged service is never rebuilt.
 */
export async function buildArtifact(ctx: EngineContext, ref: SourceRef, sha: string, service: string, spec: ServiceConfig, revision: string, signal: AbortSignal): Promise<{ root: string; dir: string }> {
  const root = join(ctx.dataDir, 'artifacts', ref.projectId, service, revision);
  const dir = join(root, spec.path);
  if (await exists(join(root, '.complete'))) return { root, dir };
  const tmp = `${root}.tmp-${process.pid}-${Date.now()}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(join(tmp, '..'), { recursive: true });
  const paths = [spec.path, ...(spec.image?.context ? [spec.image.context] : []), ...[...(spec.paths ?? []), ...spec.shared].map(literalPrefix).filter((p): p is string => p !== undefined)];
  await ctx.source.checkout(ref, sha, tmp, [...new Set(paths)]);
  if (spec.build) {
    const output: string[] = [];
    const jobEnv = await ctx.executor.prepareJob({ id: `build-${service}-${revision}`, workspace: tmp, temp: `${tmp}.build-tmp` }, signal);
    const { exitCode } = await jobEnv
      .runStep(
        { command: spec.build.command, shell: 'sh', cwd: join(tmp, spec.path), env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' }, timeoutMs: 30 * 60_000 },
        (o) => output.push(o.text),
        signal,
      )
      .finally(() => jobEnv.dispose());
    await rm(`${tmp}.build-tmp`, { recursive: true, force: true });
    if (exitCode !== 0) {
      await rm(tmp, { recursive: true, force: true });
      throw new SlipwayError('SLW_RUN_FAILED', `build of ${service} failed with exit code ${exitCode}: ${output.slice(-5).join(' | ')}`);
    }
  }
  await rm(root, { recursive: true, force: true });
  await rename(tmp, root);
  await mkdir(root, { recursive: true });
  await writeFile(join(root, '.complete'), sha);
  return { root, dir };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
