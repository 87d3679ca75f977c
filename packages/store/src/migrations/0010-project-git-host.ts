import type { StoreMigration } from './migration.js';

/** Where a project's commit statuses and pull request comments go (issue 4). All three are null, or none is; the token is a secret. */
export const projectGitHost: StoreMigration = {
  name: '0010-project-git-host',
  async up(db) {
    await db.schema.alterTable('projects').addColumn('git_host_kind', 'text').execute();
    await db.schema.alterTable('projects').addColumn('git_host_api_url', 'text').execute();
    await db.schema.alterTable('projects').addColumn('git_host_repository', 'text').execute();
  },
};
