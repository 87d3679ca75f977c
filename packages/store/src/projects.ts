import { SlipwayError, type Store } from '@slipway/core';
import type { StoreContext } from './context.js';
import { isUniqueViolation } from './db-errors.js';
import { newId } from './ids.js';
import { toProject, toService } from './rows.js';

type ProjectMethods = Pick<Store, 'createProject' | 'getProject' | 'listProjects' | 'setProjectCommit' | 'setProjectGitHost' | 'replaceServices' | 'listServices' | 'getBranchHeads' | 'setBranchHead'>;

export function projectMethods(ctx: StoreContext): ProjectMethods {
  const { db } = ctx;
  return {
    async createProject(input) {
      const row = {
        id: newId('prj'),
        name: input.name,
        repo_url: input.repoUrl,
        branch: input.branch,
        poll_interval_ms: input.pollIntervalMs,
        last_commit_sha: null,
        ci_branches: JSON.stringify(input.ciBranches ?? []),
        created_at: ctx.now(),
      };
      try {
        const inserted = await db.insertInto('projects').values(row).returningAll().executeTakeFirstOrThrow();
        return toProject(inserted);
      } catch (err) {
        // The unique index on name decides, so two concurrent creators cannot both succeed.
        if (isUniqueViolation(err)) throw new SlipwayError('SLW_PROJECT_EXISTS', `a project named "${input.name}" already exists`, { cause: err });
        throw err;
      }
    },

    async getProject(idOrName) {
      const row = await db
        .selectFrom('projects')
        .selectAll()
        .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
        // An id wins over a name that happens to look like an id.
        .orderBy((eb) => eb.case().when('id', '=', idOrName).then(0).else(1).end())
        .executeTakeFirst();
      return row && toProject(row);
    },

    async listProjects() {
      const rows = await db.selectFrom('projects').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
      return rows.map(toProject);
    },

    async setProjectCommit(projectId, sha) {
      await db.updateTable('projects').set({ last_commit_sha: sha }).where('id', '=', projectId).execute();
    },

    async setProjectGitHost(projectId, gitHost) {
      await db
        .updateTable('projects')
        .set({ git_host_kind: gitHost?.kind ?? null, git_host_api_url: gitHost?.apiUrl ?? null, git_host_repository: gitHost?.repository ?? null })
        .where('id', '=', projectId)
        .execute();
    },

    async replaceServices(projectId, services) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('services').where('project_id', '=', projectId).execute();
        if (services.length === 0) return;
        const rows = services.map((s, position) => ({ project_id: projectId, name: s.name, path: s.path, depends_on: JSON.stringify(s.dependsOn), position }));
        await trx.insertInto('services').values(rows).execute();
      });
    },

    async listServices(projectId) {
      const rows = await db.selectFrom('services').selectAll().where('project_id', '=', projectId).orderBy('position').execute();
      return rows.map(toService);
    },

    async getBranchHeads(projectId) {
      const rows = await db.selectFrom('branch_heads').select(['branch', 'sha']).where('project_id', '=', projectId).execute();
      return Object.fromEntries(rows.map((r) => [r.branch, r.sha]));
    },

    async setBranchHead(projectId, branch, sha) {
      const now = ctx.now();
      await db
        .insertInto('branch_heads')
        .values({ project_id: projectId, branch, sha, updated_at: now })
        .onConflict((oc) => oc.columns(['project_id', 'branch']).doUpdateSet({ sha, updated_at: now }))
        .execute();
    },
  };
}
