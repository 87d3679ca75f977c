import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalog, type ErrorCode } from './catalog.js';

// docs/reference/errors.md is generated from the catalog (npm run gen); this keeps the committed copy honest even when
// scripts/check-generated.mjs is not run.
const doc = readFileSync(new URL('../../../../docs/reference/errors.md', import.meta.url), 'utf8');

/** The rows of the table: | `SLW_CODE` | http | exit | title | hint |. */
const documented = new Map(
  [...doc.matchAll(/^\|\s*`(SLW_[A-Z_]+)`\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|/gm)].map((m) => [m[1]!, { http: Number(m[2]), exit: Number(m[3]) }]),
);
const entries = Object.entries(errorCatalog) as [ErrorCode, (typeof errorCatalog)[ErrorCode]][];

describe('errorCatalog and docs/reference/errors.md', () => {
  it.each(entries)('documents %s with its HTTP status and exit code', (code, entry) => {
    expect(documented.get(code), `${code} is missing from docs/reference/errors.md; run npm run gen`).toEqual({ http: entry.http, exit: entry.exit });
  });

  it('mentions no code that is not in the catalog', () => {
    const mentioned = new Set(doc.match(/\bSLW_[A-Z][A-Z_]*[A-Z]\b/g));
    mentioned.delete('SLW_CODE'); // the placeholder in the message format
    expect([...mentioned].filter((code) => !(code in errorCatalog))).toEqual([]);
  });
});

describe('errorCatalog', () => {
  it.each(entries)('%s maps to an error HTTP status and a valid exit code', (_code, entry) => {
    expect(entry.http).toBeGreaterThanOrEqual(400);
    expect(entry.http).toBeLessThanOrEqual(599);
    expect(entry.exit).toBeGreaterThanOrEqual(1);
    expect(entry.exit).toBeLessThanOrEqual(127);
    expect(entry.title.length).toBeGreaterThan(0);
    expect(entry.hint.length).toBeGreaterThan(0);
  });
});
