import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { SlipwayError } from '@slipway/core';
import { color } from '../output.js';

/** `slipway init`: scaffolds slipway.yaml and a CI workflow in an existing repository. */
export function initCommand(program: Command): void {
  program
    .command('init')
    .description('Create slipway.yaml and .slipway/workflows/ci.yml in an existing repository')
    .argument('[dir]', 'repository root', '.')
    .option('--force', 'overwrite existing files')
    .action((dir: string, opts: { force?: boolean }) => {
      const root = resolve(dir);
      const configPath = join(root, 'slipway.yaml');
      const workflowPath = join(root, '.slipway', 'workflows', 'ci.yml');
      for (const p of [configPath, workflowPath]) {
        if (existsSync(p) && !opts.force) throw new SlipwayError('SLW_CONFLICT', `${p} already exists`, { hint: 'Pass --force to overwrite it.' });
      }
      const services = detectServices(root);
      const project = basename(root).toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^[^a-z]+/, '') || 'app';
      const lines = ['# yaml-language-server: $schema=https://slipway.dev/schemas/slipway.schema.json', `project: ${project}`, 'services:'];
      services.forEach((s, i) => {
        lines.push(`  ${s.name}:`, `    path: ${s.path}`, `    command: ${s.command}`, `    port: ${7100 + i}`, '    health:', '      path: /healthz');
      });
      lines.push('environments:', '  dev: {}', '');
      writeFileSync(configPath, lines.join('\n'));
      mkdirSync(join(root, '.slipway', 'workflows'), { recursive: true });
      writeFileSync(
        workflowPath,
        ['name: ci', 'on:', '  push:', '    branches: [main]', 'jobs:', '  test:', '    runs-on: host', '    steps:', '      - name: test', '        run: npm test --if-present', ''].join('\n'),
      );
      process.stdout.write(`${color.green('created')} ${configPath}\n${color.green('created')} ${workflowPath}\nNext: edit them, run \`slipway validate\`, commit, then \`slipway projects add ${root}\`.\n`);
    });
}

function detectServices(root: string): { name: string; path: string; command: string }[] {
  for (const parent of ['services', 'apps', 'packages']) {
    const dir = join(root, parent);
    if (!existsSync(dir)) continue;
    const found = readdirSync(dir)
      .filter((n) => statSync(join(dir, n)).isDirectory() && /^[a-z][a-z0-9-]*$/.test(n))
      .map((n) => ({ name: n, path: `${parent}/${n}`, command: startCommand(join(dir, n)) }));
    if (found.length > 0) return found;
  }
  return [{ name: 'app', path: '.', command: startCommand(root) }];
}

function startCommand(dir: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string>; main?: string };
    if (pkg.scripts?.start) return 'npm start';
    if (pkg.main) return `node ${pkg.main}`;
  } catch {
    // No package.json: fall through to a placeholder the user edits.
  }
  return 'node server.js';
}
