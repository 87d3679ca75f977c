import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { SlipwayError } from '@slipway/core';
import { startDevCluster } from '@slipway/dev-cluster';
import { findInCheckout } from '../checkout-files.js';
import { color } from '../output.js';
import { formatEvent } from './read.js';
import { serverOptions, startFromFlags, stopOnSignals, type ServerFlags } from './server.js';

/**
 * `slipway demo` (what `npm start` runs): a server on embedded defaults, a git repository made from examples/demo with
 * three services, registered and followed. No Docker, no database server, no network.
 */
export function demoCommand(program: Command): void {
  serverOptions(program.command('demo').description('Start the server with a demo project of three services (what `npm start` runs)'))
    .option('--no-open', 'accepted for compatibility; the demo never opens a browser')
    .option('--quiet', 'do not print events')
    .option('--images <registry>', 'build the services into images pushed to this registry (host:port, e.g. 127.0.0.1:5001) and run every environment on the Docker target')
    .option('--kubernetes', 'run every environment on Kubernetes: namespaces dev, staging and prod of the dev cluster (`slipway dev-cluster up`, started here when it is not running)')
    .action(async (flags: ServerFlags & { quiet?: boolean; images?: string; kubernetes?: boolean }) => {
      const repo = join(flags.dataDir, 'demo-repo');
      const created = ensureDemoRepo(repo);
      if (flags.images) useImages(repo, flags.images);
      if (flags.kubernetes) {
        // The server finds the dev cluster's kubeconfig in its data dir when it has no other.
        const cluster = await startDevCluster({ stateDir: join(flags.dataDir, 'dev-cluster'), ...(flags.quiet ? {} : { onProgress: (m: string) => process.stdout.write(`${color.grey(m)}\n`) }) });
        useKubernetes(repo);
        process.stdout.write(`Kubernetes: ${cluster.server} (kubeconfig ${cluster.kubeconfig}; stop it with \`slipway dev-cluster down\`)\n`);
      }
      const server = await startFromFlags({ ...flags }, join(flags.dataDir, 'server.log'));
      stopOnSignals(() => server.stop({ stopInstances: true }));
      if (!flags.quiet) server.engine.bus.subscribe((e) => process.stdout.write(formatEvent(e)));
      const existing = await server.store.getProject('demo');
      if (!existing) await server.engine.addProject({ repoUrl: repo, name: 'demo', branch: 'main', pollIntervalMs: 1000 });
      process.stdout.write(
        [
          '',
          color.bold('Slipway demo is running.'),
          `  Dashboard:  ${color.blue(server.url)}`,
          `  Status:     node bin/slipway.mjs status${flags.port === '7070' ? '' : ` --server ${server.url}`}`,
          `  Demo repo:  ${repo}${created ? ' (created)' : ''}`,
          `  Server log: ${join(flags.dataDir, 'server.log')}`,
          '',
          '  Make a commit that flows through to dev:',
          `    cd ${repo}`,
          "    sed -i \"s/VERSION = '[^']*'/VERSION = '1.0.1'/\" services/api/src/version.mjs",
          "    git commit -am 'bump api'",
          '  Only the api workflow runs, and only api is redeployed. Press Ctrl-C to stop.',
          '',
        ].join('\n'),
      );
    });
}

/**
 * Switches the demo repository to images on the Docker target (one commit, once): the `images` block, api built from
 * its Dockerfile (web and worker by the zero-config Node.js builder), every environment on the Docker target.
 */
function useImages(repo: string, registry: string): void {
  const file = join(repo, 'slipway.yaml');
  const yaml = readFileSync(file, 'utf8');
  if (/^images:/m.test(yaml)) return;
  const changed = yaml
    .replace(/^project: demo\n/m, `project: demo\n\n# Every service becomes an image pushed by digest, with an SBOM and a signed provenance.\nimages:\n  registry: ${registry}\n`)
    .replace('    path: services/api\n', '    path: services/api\n    image:\n      dockerfile: Dockerfile\n')
    .replace(/^ {2}(dev|staging): \{\}$/gm, '  $1:\n    target: { type: docker }')
    .replace(/^ {2}prod:\n/m, '  prod:\n    target: { type: docker }\n');
  writeFileSync(file, changed);
  demoGit(repo, 'commit', '-qam', `Build images, pushed to ${registry}, and run on the Docker target`);
}

/** Switches the demo's environments to the Kubernetes target, a namespace each (one commit, once). */
function useKubernetes(repo: string): void {
  const file = join(repo, 'slipway.yaml');
  const yaml = readFileSync(file, 'utf8');
  if (/type: kubernetes/.test(yaml)) return;
  const changed = yaml
    .replace(/^ {2}(dev|staging): \{\}$/gm, '  $1:\n    target: { type: kubernetes, namespace: $1 }')
    .replace(/^ {2}(dev|staging):\n {4}target: \{ type: docker \}$/gm, '  $1:\n    target: { type: kubernetes, namespace: $1 }')
    .replace(/^ {2}prod:\n( {4}target: \{ type: docker \}\n)?/m, '  prod:\n    target: { type: kubernetes, namespace: prod }\n');
  writeFileSync(file, changed);
  demoGit(repo, 'commit', '-qam', 'Run every environment on Kubernetes');
}

const demoGit = (repo: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Slipway Demo', '-c', 'user.email=demo@slipway.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, stdio: 'ignore' });

function ensureDemoRepo(repo: string): boolean {
  if (existsSync(join(repo, '.git'))) return false;
  const source = findInCheckout(fileURLToPath(new URL('.', import.meta.url)), 'examples/demo', 'slipway.yaml');
  if (!source) throw new SlipwayError('SLW_CONFIG_NOT_FOUND', 'examples/demo was not found next to this Slipway', { hint: 'Run the demo from a Slipway checkout (npm start).' });
  cpSync(source, repo, { recursive: true });
  const git = (...args: string[]) => demoGit(repo, ...args);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'Demo project: api, web and worker');
  // Later commits by the user need an identity even on a fresh machine.
  git('config', 'user.name', 'Slipway Demo');
  git('config', 'user.email', 'demo@slipway.invalid');
  return true;
}


