import { evaluateValue, interpolate, type ExpressionContext } from '@slipway/core';

/** A job that holds or waits for a concurrency group; `cancel` stops it. */
interface Member {
  cancel(reason: string): void;
  admit?: () => void;
}

/**
 * Job-level `concurrency:` as GitHub Actions has it: in a group one job runs and at most one waits. A newer waiter cancels
 * the older waiter; with cancel-in-progress it cancels the running job too. A gate is shared by every run of a process.
 */
export interface ConcurrencyGate {
  /** Waits for the group; resolves with the release function once this job holds it. Rejects when `signal` aborts first. */
  acquire(group: string, cancelInProgress: boolean, cancel: (reason: string) => void, signal: AbortSignal): Promise<() => void>;
}

export function createConcurrencyGate(): ConcurrencyGate {
  const groups = new Map<string, { holder?: Member; waiting?: Member }>();
  return {
    async acquire(group, cancelInProgress, cancel, signal) {
      signal.throwIfAborted();
      const g = groups.get(group) ?? {};
      groups.set(group, g);
      const me: Member = { cancel };
      const release = () => {
        if (g.holder !== me) return;
        g.holder = g.waiting;
        g.waiting = undefined;
        if (g.holder) g.holder.admit?.();
        else groups.delete(group);
      };
      if (!g.holder) {
        g.holder = me;
        return release;
      }
      if (cancelInProgress) g.holder.cancel(`cancelled: a newer job of concurrency group ${group} started (cancel-in-progress)`);
      g.waiting?.cancel(`cancelled: a newer job of concurrency group ${group} is waiting`);
      g.waiting = me;
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          if (g.waiting === me) g.waiting = undefined;
          reject(signal.reason);
        };
        me.admit = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        signal.addEventListener('abort', onAbort, { once: true });
      });
      return release;
    },
  };
}

/** One gate for the process: the server runs every run in it, so jobs of different runs see each other. */
export const processGate = createConcurrencyGate();

/** A job's `concurrency:` with its expressions evaluated, or undefined when it has none. */
export function jobConcurrency(spec: Record<string, unknown>, ctx: ExpressionContext, where: { file: string; path: string }): { group: string; cancelInProgress: boolean } | undefined {
  const raw = spec.concurrency as { group: string; 'cancel-in-progress'?: string | boolean } | undefined;
  if (!raw) return undefined;
  const group = interpolate(raw.group, ctx, { where: { ...where, path: `${where.path}.group` } });
  const cancelInProgress = evaluateValue(raw['cancel-in-progress'] ?? false, ctx) === true;
  return { group, cancelInProgress };
}
