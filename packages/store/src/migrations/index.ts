import { Migrator, type Kysely, type Migration } from 'kysely';
import { SlipwayError } from '@slipway/core';
import type { Dialect } from '../context.js';
import { initial } from './0001-initial.js';
import { secrets } from './0002-secrets.js';
import { ciStorage } from './0004-ci-storage.js';
import { runGraph } from './0005-run-graph.js';
import { runConcurrency } from './0006-run-concurrency.js';
import { runInputs } from './0007-run-inputs.js';
import { runPullRequest } from './0008-run-pull-request.js';
import { webhookDeliveries } from './0009-webhook-deliveries.js';
import { projectGitHost } from './0010-project-git-host.js';
import { projectBranches } from './0011-project-branches.js';
import { promotionGates } from './0012-promotion-gates.js';
import { environmentRemoval } from './0013-environment-removal.js';
import { releaseRecord } from './0014-release-record.js';
import { rollouts } from './0015-rollouts.js';
import { environmentTarget } from './0016-environment-target.js';
import type { StoreMigration } from './migration.js';

/** Every migration, in apply order. Append new ones; never edit or reorder a released one. */
export const migrations: readonly StoreMigration[] = [initial, secrets, ciStorage, runGraph, runConcurrency, runInputs, runPullRequest, webhookDeliveries, projectGitHost, projectBranches, promotionGates, environmentRemoval, releaseRecord, rollouts, environmentTarget];

/** Applies every pending migration. Kysely's migration lock makes concurrent servers on one PostgreSQL database safe. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const migrator = new Migrator({
    db,
    // Numbers are reserved while features are built in parallel, so a database may have run 0010 before 0009 existed:
    // apply such a gap instead of refusing to start. Each migration touches only its own tables and columns.
    allowUnorderedMigrations: true,
    provider: {
      getMigrations: async () =>
        Object.fromEntries(migrations.map((m): [string, Migration] => [m.name, { up: (d) => m.up(d, dialect) }])),
    },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new SlipwayError('SLW_INTERNAL', `database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
