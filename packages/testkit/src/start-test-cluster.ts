// Started by testKubeconfig() in a test worker: starts the run's shared dev cluster, or waits for the worker that is
// starting it, and prints its kubeconfig path. A lock directory next to the state directory serializes the workers.
// With `--real-node <image>...` (testRealNode()) the cluster gets its real node too, with the images loaded.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDevCluster } from '@slipway/dev-cluster';

const [stateDir, flag, ...images] = process.argv.slice(2);
if (!stateDir || (flag !== undefined && flag !== '--real-node')) throw new Error('usage: start-test-cluster.ts <stateDir> [--real-node <image>...]');
const lock = `${stateDir}.lock`;

function holderAlive(): boolean {
  try {
    process.kill(Number(readFileSync(join(lock, 'pid'), 'utf8')), 0);
    return true;
  } catch {
    return false;
  }
}

for (;;) {
  try {
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.pid));
    break;
  } catch {
    // Another worker starts it; take the lock over only when that worker died (give it a moment to write its pid).
    await new Promise((r) => setTimeout(r, 200));
    if (!holderAlive()) {
      await new Promise((r) => setTimeout(r, 500));
      if (!holderAlive()) rmSync(lock, { recursive: true, force: true });
    }
  }
}
try {
  const cluster = await startDevCluster({ stateDir, ...(flag ? { realNode: { images } } : {}), onProgress: (m) => process.stderr.write(`[slipway dev cluster] ${m}\n`) });
  process.stdout.write(`${cluster.kubeconfig}\n`);
} finally {
  rmSync(lock, { recursive: true, force: true });
}
