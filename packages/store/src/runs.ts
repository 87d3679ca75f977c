import type { Kysely } from 'kysely';
import { SlipwayError, type RunDetail, type Store } from '@slipway/core';
import { defaultLimit, definedOnly, type StoreContext } from './context.js';
import { newId } from './ids.js';
import { toJob, toRun, toStep } from './rows.js';
import type { Database } from './schema.js';

type RunMethods = Pick<Store, 'createRun' | 'getRun' | 'listRuns' | 'updateRun' | 'updateJob' | 'updateStep' | 'resetRunForRetry' | 'addJob' | 'addStep'>;

/** Reads a run with its jobs (in workflow order) and their steps; takes a transaction too. */
async function loadRunDetail(db: Kysely<Database>, id: string): Promise<RunDetail | undefined> {
  const run = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!run) return undefined;
  const jobs = await db.selectFrom('jobs').selectAll().where('run_id', '=', id).orderBy('position').execute();
  const steps = await db.selectFrom('steps').selectAll().where('run_id', '=', id).orderBy('step_index').execute();
  return {
    ...toRun(run),
    jobs: jobs.map((j) => toJob(j, steps.filter((s) => s.job_id === j.id).map(toStep))),
  };
}

export function runMethods(ctx: StoreContext): RunMethods {
  const { db } = ctx;
  return {
    async createRun(input) {
      return db.transaction().execute(async (trx) => {
        // The row lock taken by this UPDATE serializes concurrent creators on PostgreSQL until the transaction ends.
        const counter = await trx
          .updateTable('projects')
          .set((eb) => ({ run_seq: eb('run_seq', '+', 1) }))
          .where('id', '=', input.projectId)
          .returning('run_seq')
          .executeTakeFirst();
        if (!counter) throw new SlipwayError('SLW_NOT_FOUND', `project ${input.projectId} not found`);
        const runId = newId('run');
        const now = ctx.now();
        await trx
          .insertInto('runs')
          .values({
            id: runId,
            project_id: input.projectId,
            number: Number(counter.run_seq),
            workflow: input.workflow,
            workflow_name: input.workflowName,
            commit_sha: input.commitSha,
            branch: input.branch,
            trigger: input.trigger,
            status: 'queued',
            attempt: 1,
            concurrency_group: input.concurrency?.group ?? null,
            cancel_in_progress: input.concurrency?.cancelInProgress ? 1 : 0,
            inputs: JSON.stringify(input.inputs ?? {}),
            pull_request: input.pullRequest ? JSON.stringify(input.pullRequest) : null,
            error: null,
            created_at: now,
            started_at: null,
            finished_at: null,
          })
          .execute();
        for (const [position, job] of input.jobs.entries()) {
          const jobId = newId('job');
          await trx
            .insertInto('jobs')
            .values({ id: jobId, run_id: runId, position, name: job.name, status: 'queued', needs: JSON.stringify(job.needs), started_at: null, finished_at: null })
            .execute();
          if (job.steps.length === 0) continue;
          const steps = job.steps.map((step, index) => ({
            id: newId('stp'),
            job_id: jobId,
            run_id: runId,
            step_index: index,
            name: step.name,
            status: 'queued' as const,
            exit_code: null,
            queued_at: now,
            started_at: null,
            finished_at: null,
          }));
          await trx.insertInto('steps').values(steps).execute();
        }
        return (await loadRunDetail(trx, runId))!;
      });
    },

    getRun: (id) => loadRunDetail(db, id),

    async listRuns(query) {
      const rows = await db
        .selectFrom('runs')
        .selectAll()
        .$if(query.projectId !== undefined, (q) => q.where('project_id', '=', query.projectId!))
        .$if(query.commitSha !== undefined, (q) => q.where('commit_sha', '=', query.commitSha!))
        .$if(query.status !== undefined, (q) => q.where('status', '=', query.status!))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(query.limit ?? defaultLimit)
        .execute();
      return rows.map(toRun);
    },

    async updateRun(id, patch) {
      const set = definedOnly({ status: patch.status, error: patch.error, started_at: patch.startedAt, finished_at: patch.finishedAt });
      if (Object.keys(set).length > 0) await db.updateTable('runs').set(set).where('id', '=', id).execute();
    },

    async updateJob(id, patch) {
      const set = definedOnly({ name: patch.name, status: patch.status, started_at: patch.startedAt, finished_at: patch.finishedAt, outputs: patch.outputs === undefined ? undefined : JSON.stringify(patch.outputs) });
      if (Object.keys(set).length > 0) await db.updateTable('jobs').set(set).where('id', '=', id).execute();
    },

    async updateStep(id, patch) {
      const set = definedOnly({ status: patch.status, exit_code: patch.exitCode, started_at: patch.startedAt, finished_at: patch.finishedAt });
      if (Object.keys(set).length > 0) await db.updateTable('steps').set(set).where('id', '=', id).execute();
    },

    async resetRunForRetry(id, options) {
      const keep = options?.keepJobs ?? [];
      return db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('runs')
          .set((eb) => ({ attempt: eb('attempt', '+', 1), status: 'queued', error: null, started_at: null, finished_at: null }))
          .where('id', '=', id)
          .executeTakeFirst();
        if (updated.numUpdatedRows === 0n) throw new SlipwayError('SLW_NOT_FOUND', `run ${id} not found`);
        const now = ctx.now();
        await trx
          .updateTable('jobs')
          .set({ status: 'queued', started_at: null, finished_at: null, outputs: '{}' })
          .where('run_id', '=', id)
          .$if(keep.length > 0, (q) => q.where('id', 'not in', keep))
          .execute();
        await trx
          .updateTable('steps')
          .set({ status: 'queued', exit_code: null, queued_at: now, started_at: null, finished_at: null })
          .where('run_id', '=', id)
          .$if(keep.length > 0, (q) => q.where('job_id', 'not in', keep))
          .execute();
        return (await loadRunDetail(trx, id))!;
      });
    },

    async addJob(runId, job) {
      return db.transaction().execute(async (trx) => {
        const last = await trx.selectFrom('jobs').select((eb) => eb.fn.max('position').as('max')).where('run_id', '=', runId).executeTakeFirst();
        const jobId = newId('job');
        const now = ctx.now();
        await trx
          .insertInto('jobs')
          .values({ id: jobId, run_id: runId, position: Number(last?.max ?? -1) + 1, name: job.name, status: 'queued', needs: JSON.stringify(job.needs), started_at: null, finished_at: null })
          .execute();
        if (job.steps.length > 0) {
          await trx
            .insertInto('steps')
            .values(job.steps.map((step, index) => ({ id: newId('stp'), job_id: jobId, run_id: runId, step_index: index, name: step.name, status: 'queued' as const, exit_code: null, queued_at: now, started_at: null, finished_at: null })))
            .execute();
        }
        const row = await trx.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
        const steps = await trx.selectFrom('steps').selectAll().where('job_id', '=', jobId).orderBy('step_index').execute();
        return toJob(row, steps.map(toStep));
      });
    },

    async addStep(jobId, step) {
      const job = await db.selectFrom('jobs').select(['run_id']).where('id', '=', jobId).executeTakeFirst();
      if (!job) throw new SlipwayError('SLW_NOT_FOUND', `job ${jobId} not found`);
      const id = newId('stp');
      await db
        .insertInto('steps')
        .values({ id, job_id: jobId, run_id: job.run_id, step_index: step.index, name: step.name, status: 'queued', exit_code: null, queued_at: ctx.now(), started_at: null, finished_at: null })
        .execute();
      return toStep(await db.selectFrom('steps').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
    },
  };
}
