#!/usr/bin/env node
// A dependency check that does not depend on ESLint's configuration (style.md §1, §10):
//  1. packages/core/src (tests excluded) imports only relative modules, zod, yaml and @actions/expressions, including dynamic imports and re-exports;
//  2. every file and directory under packages/*/src, drivers/*/src, executors/*/src and integrations/*/src has a kebab-case name.
// It prints file:line for each problem and exits 1 when there is any.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const allowedBare = new Set(['zod', 'yaml', '@actions/expressions']);
const problems = [];

function walk(dir, visit) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (visit(path, entry) === false) continue;
    if (entry.isDirectory()) walk(path, visit);
  }
}

// 1. Imports of the pure core. ts.preProcessFile finds static imports, `export … from`, `import type`, import() and require().
walk(join(root, 'packages/core/src'), (path, entry) => {
  if (!entry.isFile() || !/\.(ts|tsx|mts)$/.test(entry.name) || /\.test\.(ts|tsx|mts)$/.test(entry.name)) return;
  const text = readFileSync(path, 'utf8');
  const { importedFiles } = ts.preProcessFile(text, true, true);
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false);
  for (const ref of importedFiles) {
    const spec = ref.fileName;
    if (spec.startsWith('./') || spec.startsWith('../') || allowedBare.has(spec)) continue;
    const { line } = source.getLineAndCharacterOfPosition(ref.pos);
    problems.push(`${relative(root, path)}:${line + 1}: the pure core imports '${spec}'; it may import only relative modules, zod, yaml and @actions/expressions (move the I/O behind a port)`);
  }
});

// 2. Kebab-case names. A name is kebab-case words separated by dots: `parse-config.test.ts`, `0001-initial.ts`.
const kebab = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$/;
// Fixtures keep the names the tools they imitate expect (Dockerfile, .github), so testdata is not checked.
const unchecked = new Set(['testdata', '__snapshots__']);
const sourceRoots = ['packages', 'drivers', 'executors', 'integrations'].flatMap((group) =>
  readdirSync(join(root, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(root, group, entry.name, 'src')),
);
for (const srcDir of sourceRoots) {
  walk(srcDir, (path, entry) => {
    if (unchecked.has(entry.name) && entry.isDirectory()) return false;
    if (!kebab.test(entry.name)) problems.push(`${relative(root, path)}:1: '${entry.name}' is not kebab-case (style.md §10)`);
    return true;
  });
}

if (problems.length > 0) {
  process.stderr.write(`${problems.join('\n')}\n\n${problems.length} problem${problems.length === 1 ? '' : 's'} found by scripts/check-core-purity.mjs\n`);
  process.exit(1);
}
process.stdout.write('core purity and file names: ok\n');
