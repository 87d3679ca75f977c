import { SlipwayError, type LogLine, type Store } from '@slipway/core';
import type { StoreContext } from './context.js';
import { toLogLine } from './rows.js';

type LogMethods = Pick<Store, 'appendLogs' | 'readLogs'>;

/** Lines per INSERT: 7 parameters each stays far below SQLite's and PostgreSQL's parameter limits. */
const chunkSize = 500;
const defaultLogLimit = 10_000;

export function logMethods(ctx: StoreContext): LogMethods {
  const { db } = ctx;
  return {
    async appendLogs(lines) {
      if (lines.length === 0) return;
      const byRun = new Map<string, Omit<LogLine, 'seq'>[]>();
      for (const line of lines) {
        const group = byRun.get(line.runId);
        if (group) group.push(line);
        else byRun.set(line.runId, [line]);
      }
      await db.transaction().execute(async (trx) => {
        for (const [runId, runLines] of byRun) {
          // Reserving a block of seqs on the run row serializes concurrent appenders to one run, so seq never repeats.
          const counter = await trx
            .updateTable('runs')
            .set((eb) => ({ log_seq: eb('log_seq', '+', runLines.length) }))
            .where('id', '=', runId)
            .returning('log_seq')
            .executeTakeFirst();
          if (!counter) throw new SlipwayError('SLW_NOT_FOUND', `run ${runId} not found`);
          const first = Number(counter.log_seq) - runLines.length + 1;
          const rows = runLines.map((l, i) => ({ run_id: runId, seq: first + i, job_id: l.jobId ?? null, step_id: l.stepId ?? null, stream: l.stream, text: l.text, ts: l.ts }));
          for (let i = 0; i < rows.length; i += chunkSize) await trx.insertInto('log_lines').values(rows.slice(i, i + chunkSize)).execute();
        }
      });
    },

    async readLogs(runId, query = {}) {
      const rows = await db
        .selectFrom('log_lines')
        .selectAll()
        .where('run_id', '=', runId)
        .$if(query.afterSeq !== undefined, (q) => q.where('seq', '>', query.afterSeq!))
        .orderBy('seq')
        .limit(query.limit ?? defaultLogLimit)
        .execute();
      return rows.map(toLogLine);
    },
  };
}
