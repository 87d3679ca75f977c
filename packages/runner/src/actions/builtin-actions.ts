import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SlipwayError } from '@slipway/core';
import type { JobState } from '../job-state.js';
import type { StepInstance } from '../types.js';
import type { ExecResult } from '../steps/exec-step.js';

type Builtin = 'checkout' | 'upload-artifact' | 'download-artifact' | 'cache';

const lines = (v: string | undefined) => (v ?? '').split('\n').map((l) => l.trim()).filter(Boolean);

/**
 * Slipway's own versions of the four actions every workflow uses. They need no network: checkout writes the run's
 * commit, and artifacts and caches live in Slipway's content-addressed store.
 */
export async function runBuiltinAction(state: JobState, step: StepInstance, name: Builtin, inputs: Record<string, string>, signal: AbortSignal): Promise<ExecResult> {
  const log = (text: string) => state.opts.reporter.log(state.job, step, { stream: 'system', text });
  const ok = (outputs: Record<string, string> = {}): ExecResult => ({ exitCode: 0, outputs, state: {} });
  if (signal.aborted) return { exitCode: 137, outputs: {}, state: {} };
  const inWorkspace = (p: string) => resolve(state.workspace, p);
  switch (name) {
    case 'checkout': {
      const dest = inWorkspace(inputs.path ?? '.');
      await mkdir(dest, { recursive: true });
      await state.opts.checkout(dest);
      log(`checked out ${state.opts.github.sha.slice(0, 7)} into ${dest}`);
      return ok({ ref: state.opts.github.ref, commit: state.opts.github.sha });
    }
    case 'upload-artifact': {
      const storage = need(state);
      const artifact = inputs.name ?? 'artifact';
      const { digest, size } = await storage.uploadArtifact(artifact, lines(inputs.path), state.workspace);
      log(`uploaded artifact ${artifact} (${size} bytes, ${digest.slice(0, 19)})`);
      return ok({ 'artifact-id': digest, 'artifact-digest': digest });
    }
    case 'download-artifact': {
      const storage = need(state);
      const artifact = inputs.name ?? 'artifact';
      const dest = inWorkspace(inputs.path ?? '.');
      if (!(await storage.downloadArtifact(artifact, dest))) {
        log(`artifact ${artifact} not found in this run`);
        return { exitCode: 1, outputs: {}, state: {} };
      }
      log(`downloaded artifact ${artifact} into ${dest}`);
      return ok({ 'download-path': dest });
    }
    case 'cache': {
      const key = inputs.key;
      if (!key) throw new SlipwayError('SLW_WORKFLOW_INVALID', 'actions/cache needs a "key" input');
      const storage = state.opts.storage;
      if (!storage) {
        // As actions/cache does when its service is down: a warning and a miss, never a failed job.
        state.opts.reporter.annotation?.(state.job, step, { level: 'warning', message: 'the cache is not available in this run; continuing without it' });
        return ok({ 'cache-hit': 'false', 'cache-matched-key': '' });
      }
      const paths = lines(inputs.path);
      const restored = await storage.restoreCache(key, lines(inputs['restore-keys']), paths, state.workspace);
      log(restored.hit ? `cache restored from key ${restored.matchedKey}` : restored.matchedKey ? `cache restored from restore key ${restored.matchedKey}` : `cache not found for ${key}`);
      const exact = restored.hit && restored.matchedKey === key;
      // As actions/cache does: save in a post step, only when the job succeeded and the key was not an exact hit.
      if (!exact && inputs['lookup-only'] !== 'true') {
        state.post.unshift({
          name: `Post ${step.name}`,
          run: async () => {
            if (state.status !== 'success') return;
            const saved = await storage.saveCache(key, paths, state.workspace);
            state.opts.reporter.log(state.job, step, { stream: 'system', text: saved === 'saved' ? `cache saved with key ${key}` : saved === 'empty' ? `cache not saved: none of the paths exists (${paths.join(', ')})` : `cache ${key} exists already; not saved` });
          },
        });
      }
      return ok({ 'cache-hit': String(exact), 'cache-matched-key': restored.matchedKey ?? '' });
    }
  }
}

function need(state: JobState) {
  if (!state.opts.storage) throw new SlipwayError('SLW_WORKFLOW_INVALID', 'artifacts and caches need Slipway storage, which this run has none of');
  return state.opts.storage;
}
