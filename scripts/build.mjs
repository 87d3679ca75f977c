#!/usr/bin/env node
// Builds what Slipway runs from: the CLI/server bundle (esbuild) and the dashboard (Vite).
// With --if-stale, each part is rebuilt only when a source file is newer than its output.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const ifStale = process.argv.includes('--if-stale');

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  if (!statSync(dir).isDirectory()) return statSync(dir).mtimeMs;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
const stale = (out, ...dirs) => !ifStale || Math.max(...dirs.map((d) => newest(join(root, d)))) > mtime(join(root, out));

const nodeDirs = ['packages/core', 'packages/engine', 'packages/runner', 'packages/store', 'packages/server', 'packages/cli', 'drivers', 'executors', 'integrations', 'scripts'];
if (stale('dist/cli.mjs', ...nodeDirs)) {
  const started = Date.now();
  await build({
    entryPoints: { cli: join(root, 'packages/cli/src/main.ts'), 'gen-docs': join(root, 'scripts/gen-docs.ts') },
    outdir: join(root, 'dist'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    // Native and optional modules stay outside the bundle.
    // Native addons stay in node_modules: better-sqlite3, and ssh2's optional crypto that dockerode brings.
    external: ['better-sqlite3', 'pg-native', 'ssh2', 'cpu-features'],
    banner: { js: "import { createRequire as __slwCreateRequire } from 'node:module'; const require = __slwCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  process.stderr.write(`built dist/cli.mjs in ${Date.now() - started} ms\n`);
}
if (stale('packages/web/dist/index.html', 'packages/web/src', 'packages/web/index.html') && existsSync(join(root, 'packages/web/index.html'))) {
  const started = Date.now();
  const { build: viteBuild } = await import('vite');
  await viteBuild({ root: join(root, 'packages/web'), configFile: join(root, 'packages/web/vite.config.ts'), logLevel: 'warn' });
  process.stderr.write(`built the dashboard in ${Date.now() - started} ms\n`);
}
