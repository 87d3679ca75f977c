// The rounds of commit-to-dev.mjs and commit-to-prod.mjs: Slipway and the baseline each take one commit a round, in
// turns that alternate, within a time budget; and the table of phase medians that each prints for both systems.
import { performance } from 'node:perf_hooks';
import { median, seconds, sleep } from './util.mjs';

/**
 * Runs up to `n` rounds. Round r commits version `1.0.<r>` to each system in turn, Slipway first in odd rounds, through
 * `slipway(version)` and `baseline(version)`; each resolves with a result that has at least `ms`, `served` and `ok`.
 * Another round starts only if the slowest one so far, with half again for noise, still ends within `budgetMs` after
 * `began` (a performance.now()); otherwise it logs how many rounds were not run and stops. After each round it logs
 * both times, Slipway's followed by `slipwayNote(result)`. Returns `{ slipway, baseline, skipped }`, the results in
 * round order.
 */
export async function alternatingRounds(n, { slipway, baseline, began, budgetMs, slipwayNote = () => '' }) {
  const systems = { slipway, baseline };
  const out = { slipway: [], baseline: [], skipped: 0 };
  let slowestRound = 0;
  for (let r = 1; r <= n; r++) {
    if (performance.now() - began + 1.5 * slowestRound > budgetMs) {
      out.skipped = n - r + 1;
      console.log(`time budget reached: ${out.skipped} round(s) not run`);
      break;
    }
    const roundStart = performance.now();
    const version = `1.0.${r}`;
    const order = r % 2 ? ['slipway', 'baseline'] : ['baseline', 'slipway'];
    for (const which of order) {
      out[which].push(await systems[which](version));
      // Lets the old instances' stop and any log writes finish before the other system's round.
      await sleep(1_000);
    }
    slowestRound = Math.max(slowestRound, performance.now() - roundStart);
    const [s, b] = [out.slipway.at(-1), out.baseline.at(-1)];
    const bad = [s, b].filter((x) => !x.ok).map((x) => ` (served ${x.served}, expected ${version})`).join('');
    console.log(`round ${r}/${n} (${order[0]} first): Slipway ${seconds(s.ms)}${slipwayNote(s)}, baseline ${seconds(b.ms)}${bad}`);
  }
  return out;
}

/**
 * Prints the median of each phase in `names` (ms after the commit, from each result's `phases`) and the step from the
 * row above, then `end` for the results' `ms`; the names padded to `width`.
 */
export function phaseTable(title, names, results, end, width) {
  console.log(`\n${title} (median ms after the commit, and the step from the row above; ${results.length} rounds):`);
  let previous = 0;
  for (const [name, values] of [...names.map((n) => [n, results.map((r) => r.phases[n])]), [end, results.map((r) => r.ms)]]) {
    const m = median(values);
    console.log(`  ${name.padEnd(width)} ${String(Math.round(m)).padStart(6)}  ${`+${Math.round(m - previous)}`.padStart(6)}`);
    previous = m;
  }
}

/** Warns when any round's api served another version than the one committed. */
export function warnWrongVersions(result) {
  const wrong = [...result.slipway, ...result.baseline].filter((r) => !r.ok).length;
  if (wrong) console.log(`\nWARNING: ${wrong} round(s) served another version than the one committed`);
}
