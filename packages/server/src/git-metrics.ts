import { Counter } from 'prom-client';
import type { SourceProvider } from '@slipway/core';

export interface GitMetrics {
  readonly fetches: Counter;
  readonly lsRemotes: Counter;
  /** The source with every fetch and ls-remote counted: the counters prove that a poll which found nothing fetched nothing. */
  instrument(source: SourceProvider): SourceProvider;
}

/** Counters of the git operations that reach a remote; registered into /metrics by createMetrics. */
export function createGitMetrics(): GitMetrics {
  const fetches = new Counter({ name: 'slipway_git_fetches_total', help: 'Fetches from git remotes into the mirrors (git fetch), by result.', labelNames: ['result'], registers: [] });
  const lsRemotes = new Counter({ name: 'slipway_git_ls_remote_total', help: 'Branch head checks against git remotes (git ls-remote), by result.', labelNames: ['result'], registers: [] });
  const counted = <A extends unknown[], R>(counter: Counter, call: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    try {
      const value = await call(...args);
      counter.inc({ result: 'ok' });
      return value;
    } catch (err) {
      counter.inc({ result: 'error' });
      throw err;
    }
  };
  return {
    fetches,
    lsRemotes,
    instrument: (source) => ({
      ...source,
      remoteHead: counted(lsRemotes, source.remoteHead.bind(source)),
      remoteHeads: counted(lsRemotes, source.remoteHeads.bind(source)),
      fetch: counted(fetches, source.fetch.bind(source)),
      fetchRef: counted(fetches, source.fetchRef.bind(source)),
    }),
  };
}
