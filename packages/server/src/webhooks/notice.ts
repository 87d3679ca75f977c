import type { PullRequestEvent } from '@slipway/core';

/** What a delivery says, in one shape for every host. `repoUrls` are every URL of the repository the payload names. */
export type WebhookNotice =
  | { kind: 'push'; repoUrls: string[]; /** null for a tag */ branch: string | null; /** null when the branch was deleted */ sha: string | null }
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
