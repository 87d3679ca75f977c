// How every benchmark script runs: its main, then always the same clean-up and record lines, and an exit code.
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { machineLine } from './measure.mjs';
import { checkLeftovers } from './processes.mjs';

/**
 * Runs `main`; whatever happens, then runs `cleanup` (stopping what the bench started; it returns false when something
 * was left behind), checks that no process is left under `root`, removes `root`, and prints the machine line (with
 * `machineExtra`, e.g. a Docker version) and the total time. A failure or a leftover sets exit code 1.
 */
export async function runBenchmark(main, { root, began = performance.now(), cleanup = async () => true, machineExtra = () => '' }) {
  let failed = false;
  try {
    await main();
  } catch (err) {
    failed = true;
    console.error(`benchmark failed: ${err.stack ?? err}`);
  } finally {
    if ((await cleanup()) === false) failed = true;
    if (checkLeftovers(root).length) failed = true;
    rmSync(root, { recursive: true, force: true });
    console.log(`${await machineLine()}${machineExtra()}; ${((performance.now() - began) / 1000).toFixed(0)} s in all`);
  }
  process.exitCode = failed ? 1 : 0;
}
