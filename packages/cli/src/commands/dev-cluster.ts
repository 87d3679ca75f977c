import { join } from 'node:path';
import type { Command } from 'commander';
import { SlipwayError } from '@slipway/core';
import { devClusterStatus, loadImages, realNodeName, realNodePlacement, startDevCluster, stopDevCluster, type DevClusterStatus } from '@slipway/dev-cluster';
import { defaultDataDir } from '../globals.js';
import { color, printJson } from '../output.js';

const defaultStateDir = () => join(defaultDataDir(), 'dev-cluster');

/** `slipway dev-cluster up | down | status`: a local Kubernetes control plane with kwok nodes (docs/kubernetes.md). */
export function devClusterCommands(program: Command): void {
  const cluster = program.command('dev-cluster').description('A local Kubernetes control plane (etcd, kube-apiserver, controller manager, scheduler) with kwok nodes and optionally one real node, for trying the Kubernetes target and for tests');
  const stateDirOption = (cmd: Command) => cmd.option('--state-dir <dir>', 'where the cluster keeps its state (default <data dir>/dev-cluster)', defaultStateDir());

  stateDirOption(cluster.command('up').description('Start the cluster, or report the one already running'))
    .option('--nodes <n>', 'how many fake nodes', '3')
    .option('--real-node', `also one real node (${realNodeName}: a kubelet and containerd on this machine, where pods really run; needs root, containerd, runc, containernetworking-plugins and Docker)`)
    .option('--image <image...>', 'local Docker images to load onto the real node (default slipway/runner:latest when Docker has it)')
    .option('--json', 'print JSON')
    .action(async (opts: { stateDir: string; nodes: string; realNode?: boolean; image?: string[]; json?: boolean }) => {
      const nodes = Number(opts.nodes);
      if (!Number.isInteger(nodes) || nodes < 1) throw new SlipwayError('SLW_USAGE', `--nodes must be a positive integer, not ${opts.nodes}`);
      const started = Date.now();
      const progress = (m: string) => process.stderr.write(`${color.grey(`[${((Date.now() - started) / 1000).toFixed(1)}s]`)} ${m}\n`);
      if (opts.image && !opts.realNode) throw new SlipwayError('SLW_USAGE', '--image loads images onto the real node: add --real-node');
      const realNode = opts.realNode ? (opts.image ? { images: opts.image } : true) : undefined;
      const dev = await startDevCluster({ stateDir: opts.stateDir, nodes, ...(realNode ? { realNode } : {}), ...(opts.json ? {} : { onProgress: progress }) });
      if (opts.json) {
        printJson({ server: dev.server, kubeconfig: dev.kubeconfig, stateDir: dev.stateDir, reused: dev.reused, ...(realNode ? { realNode: { name: realNodeName, ...realNodePlacement } } : {}) });
        return;
      }
      process.stdout.write(`${color.green('✓')} dev cluster ${dev.reused ? 'already running' : 'up'} at ${dev.server}\n  kubeconfig: ${dev.kubeconfig}\n`);
      if (realNode) {
        const taint = realNodePlacement.tolerations[0]!;
        process.stdout.write(`  real node:  ${realNodeName} (a pod runs there with nodeSelector kubernetes.io/hostname=${realNodeName} and a toleration of ${taint.key}=${taint.value}:${taint.effect})\n`);
      }
      process.stdout.write(`\n  export KUBECONFIG=${dev.kubeconfig}\n`);
    });

  stateDirOption(cluster.command('load').description(`Load local Docker images onto the real node (${realNodeName}), so that its pods run them without a registry`))
    .argument('<image...>', 'Docker images, e.g. slipway/runner:latest')
    .action(async (images: string[], opts: { stateDir: string }) => {
      await loadImages(opts.stateDir, images, { onProgress: (m) => process.stderr.write(`${m}\n`) });
    });

  stateDirOption(cluster.command('down').description('Stop every process of the cluster and remove its state directory')).action(async (opts: { stateDir: string }) => {
    await stopDevCluster(opts.stateDir);
    process.stdout.write(`dev cluster in ${opts.stateDir} is down\n`);
  });

  stateDirOption(cluster.command('status').description('Whether the cluster runs, its server, kubeconfig, processes and nodes'))
    .option('--json', 'print JSON')
    .action(async (opts: { stateDir: string; json?: boolean }) => {
      const status = await devClusterStatus(opts.stateDir);
      if (opts.json) printJson(status);
      else process.stdout.write(formatStatus(status));
    });
}

function formatStatus(s: DevClusterStatus): string {
  if (s.processes.length === 0) return `no dev cluster in ${s.stateDir} (start one with \`slipway dev-cluster up\`)\n`;
  const state = s.ready ? color.green('running') : s.running ? color.yellow('starting') : color.red('stopped');
  const lines = [`dev cluster ${state}  ${s.server ?? ''}`, `  kubeconfig: ${s.kubeconfig ?? '-'}`, `  state:      ${s.stateDir}`];
  for (const p of s.processes) lines.push(`  ${p.alive ? color.green('●') : color.red('○')} ${p.component.padEnd(24)} pid ${p.pid}`);
  if (s.nodes.length > 0) lines.push(`  nodes: ${s.nodes.map((n) => `${n.name}${n.ready ? '' : color.yellow(' (not ready)')}`).join(', ')}`);
  if (!s.running) lines.push(`  ${color.grey('run `slipway dev-cluster down` to clean up, then `up` again')}`);
  return `${lines.join('\n')}\n`;
}
