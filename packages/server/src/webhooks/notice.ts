import type { PullRequestEvent, PushedChanges } from '@slipway/core';

/** What a delivery says, in one shape for every host. `repoUrls` are every URL of the repository the payload names. */
export type WebhookNotice =
  | { kind: 'push'; repoUrls: string[]; /** null for a tag */ branch: string | null; /** null when the branch was deleted */ sha: string | null; changes: PushedChanges }
  | { kind: 'pull_request'; repoUrls: string[]; pr: PullRequestEvent }
  | { kind: 'ping'; repoUrls: string[] }
  | { kind: 'ignored'; repoUrls: string[]; reason: string };

/** A JSON object as a record, else an empty one, so that parsers can read optional fields without casts everywhere. */
export type Json = Record<string, unknown>;

export const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The string values of the named fields of `o`, skipping missing ones. */
export const urlsOf = (o: Json, fields: string[]): string[] => fields.map((f) => str(o[f])).filter((u): u is string => u !== null);

const zeroSha = /^0{40}$/;
const shaPattern = /^[0-9a-f]{40}$/;

/** A push's new head: null when the branch was deleted (all zeros); undefined when the field is not a commit id. */
export function pushedSha(after: unknown): string | null | undefined {
  const s = str(after);
  if (s === null || !shaPattern.test(s)) return undefined;
  return zeroSha.test(s) ? null : s;
}

/** `refs/heads/main` → `main`; null for tags and other refs. */
export function branchOf(ref: unknown): string | null {
  const s = str(ref);
  return s?.startsWith('refs/heads/') ? s.slice('refs/heads/'.length) : null;
}

export const isSha = (v: unknown): v is string => typeof v === 'string' && shaPattern.test(v);

/**
 * What a push payload says changed: the old head (`before`, null when the branch is new) and every path its commits
 * added, removed or modified. `files` is null when the payload may not list them all: a forced push (commits were
 * dropped), a list shorter than the host's count of commits, or a commit without its file lists.
 */
export function pushedChanges(payload: Json, total: number | null): PushedChanges {
  const before = pushedSha(payload.before) ?? null;
  const commits = Array.isArray(payload.commits) ? payload.commits.map(obj) : null;
  const complete = before !== null && payload.forced !== true && commits !== null && (total === null || total === commits.length);
  if (!complete) return { before, files: null };
  const files = new Set<string>();
  for (const c of commits) {
    for (const field of ['added', 'removed', 'modified']) {
      const list = c[field];
      if (!Array.isArray(list) || !list.every((f) => typeof f === 'string')) return { before, files: null };
      for (const f of list) files.add(f);
    }
  }
  return { before, files: [...files] };
}
