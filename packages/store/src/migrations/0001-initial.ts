import { sql } from 'kysely';
import type { StoreMigration } from './migration.js';

/** The first schema: every table of the Store port. */
export const initial: StoreMigration = {
  name: '0001-initial',
  async up(db, dialect) {
    const s = db.schema;
    await s
      .createTable('projects')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('repo_url', 'text', (c) => c.notNull())
      .addColumn('branch', 'text', (c) => c.notNull())
      .addColumn('poll_interval_ms', 'integer', (c) => c.notNull())
      .addColumn('last_commit_sha', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('run_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('release_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();

    await s
      .createTable('services')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('depends_on', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('services_pk', ['project_id', 'name'])
      .execute();

    await s
      .createTable('runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('workflow', 'text', (c) => c.notNull())
      .addColumn('workflow_name', 'text', (c) => c.notNull())
      .addColumn('commit_sha', 'text', (c) => c.notNull())
      .addColumn('branch', 'text', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('log_seq', 'integer', (c) => c.notNull().defaultTo(0))
      // Backs up the counter on projects: a second run with the same number can never be committed.
      .addUniqueConstraint('runs_project_number', ['project_id', 'number'])
      .execute();
    await s.createIndex('runs_created').on('runs').columns(['created_at', 'id']).execute();
    await s.createIndex('runs_commit').on('runs').columns(['commit_sha']).execute();

    await s
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('needs', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .execute();
    await s.createIndex('jobs_run').on('jobs').columns(['run_id', 'position']).execute();

    await s
      .createTable('steps')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('step_index', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('exit_code', 'integer')
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .execute();
    await s.createIndex('steps_run').on('steps').columns(['run_id', 'job_id', 'step_index']).execute();
    await s.createIndex('steps_job').on('steps').columns(['job_id']).execute();

    await s
      .createTable('log_lines')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('job_id', 'text')
      .addColumn('step_id', 'text')
      .addColumn('stream', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('ts', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('log_lines_pk', ['run_id', 'seq'])
      .execute();

    await s
      .createTable('releases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('commit_sha', 'text', (c) => c.notNull())
      .addColumn('services', 'text', (c) => c.notNull())
      .addColumn('changed_services', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('releases_project_version', ['project_id', 'version'])
      .execute();
    await s.createIndex('releases_created').on('releases').columns(['created_at', 'id']).execute();

    await s
      .createTable('environments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('target_type', 'text', (c) => c.notNull())
      .addColumn('desired_release_id', 'text', (c) => c.references('releases.id'))
      .addColumn('last_good_release_id', 'text', (c) => c.references('releases.id'))
      .addColumn('hold', 'text')
      .addUniqueConstraint('environments_project_name', ['project_id', 'name'])
      .execute();

    await s
      .createTable('service_status')
      .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('release_id', 'text')
      .addColumn('revision', 'text')
      .addColumn('health', 'text', (c) => c.notNull())
      .addColumn('sync', 'text', (c) => c.notNull())
      .addColumn('url', 'text')
      .addColumn('message', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('service_status_pk', ['environment_id', 'service'])
      .execute();

    await s
      .createTable('promotions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('release_id', 'text', (c) => c.notNull().references('releases.id').onDelete('cascade'))
      .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('phase', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .execute();
    await s.createIndex('promotions_env').on('promotions').columns(['environment_id', 'created_at']).execute();

    await s
      .createTable('deployments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('promotion_id', 'text', (c) => c.references('promotions.id').onDelete('set null'))
      .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
      .addColumn('release_id', 'text', (c) => c.notNull().references('releases.id').onDelete('cascade'))
      .addColumn('phase', 'text', (c) => c.notNull())
      .addColumn('services', 'text', (c) => c.notNull())
      .addColumn('message', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .execute();
    await s.createIndex('deployments_env').on('deployments').columns(['environment_id', 'started_at']).execute();

    await s
      .createTable('events')
      .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
        // AUTOINCREMENT stops SQLite from reusing the seq of a deleted newest row, which would break "strictly increasing".
        dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('ts', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('project_id', 'text')
      .addColumn('subject', 'text')
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('events_project').on('events').columns(['project_id', 'seq']).execute();
    await s.createIndex('events_subject').on('events').columns(['subject', 'seq']).execute();

    await s
      .createTable('queue_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_attempts', 'integer', (c) => c.notNull())
      .addColumn('run_after', 'text', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_expires_at', 'text')
      .addColumn('last_error', 'text')
      .addColumn('dedupe_key', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('queue_items_claim').on('queue_items').columns(['status', 'run_after']).execute();
    // At most one unfinished item per dedupe key; finished items keep their key for the record.
    await s
      .createIndex('queue_items_dedupe')
      .unique()
      .on('queue_items')
      .column('dedupe_key')
      .where(sql.ref('dedupe_key'), 'is not', null)
      .where(sql.ref('status'), 'in', sql`('ready', 'leased')`)
      .execute();

    await s
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .execute();
  },
};
