#!/usr/bin/env node
// Fails when a committed generated file (JSON Schema, reference docs, OpenAPI document) differs from what the generator
// writes now (style.md §8). It builds the generator bundle, runs it into a temporary directory and compares byte for byte.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'slipway-check-generated-'));

function files(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), base) : [relative(base, join(dir, e.name))]));
}

try {
  // A full build (about a second): --if-stale judges by dist/cli.mjs alone and could leave an old generator bundle in place.
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'dist/gen-docs.mjs'), '--out', out], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const generated = files(out).sort();
  const stale = generated.filter((path) => {
    const committed = join(root, path);
    return !existsSync(committed) || !readFileSync(committed).equals(readFileSync(join(out, path)));
  });
  if (stale.length > 0) {
    process.stderr.write(`These generated files are missing or out of date:\n${stale.map((p) => `  ${p}`).join('\n')}\nhint: run npm run gen and commit the result\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`generated files are up to date (${generated.length} checked)\n`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
