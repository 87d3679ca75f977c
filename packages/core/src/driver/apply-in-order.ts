import type { ApplyProgress, ApplyResult, Plan, PlanAction } from './contract.js';

/**
 * How every driver applies a plan: actions in order, noops reported as such, and after a failed action (or once the
 * signal aborts) the rest left unapplied with the reason. `run` returns null on success or why the action failed; a
 * rejection counts as a failure with its message.
 */
export async function applyInOrder(
  plan: Plan,
  run: (action: PlanAction, progress: (message: string) => void) => Promise<string | null>,
  options: { signal?: AbortSignal; onProgress?: (p: ApplyProgress) => void } = {},
): Promise<ApplyResult> {
  const results: ApplyResult['results'] = [];
  let blocker: string | null = null;
  for (const action of plan.actions) {
    const result = (ok: boolean, message: string | null) => results.push({ service: action.service, action: action.type, ok, message });
    if (action.type === 'noop') result(true, action.reason);
    else if (options.signal?.aborted) result(false, 'not applied: the deployment was aborted');
    else if (blocker !== null) result(false, `not applied: the action on ${blocker} failed before it`);
    else {
      const progress = (message: string) => options.onProgress?.({ service: action.service, message });
      const failure = await run(action, progress).catch((err: unknown) => `${action.type} failed: ${err instanceof Error ? err.message : String(err)}`);
      if (failure !== null) blocker = action.service;
      result(failure === null, failure);
    }
  }
  return { environment: plan.environment, results };
}
