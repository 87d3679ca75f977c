/** The options of a local run that a re-run must repeat. */
export interface RerunFlags {
  event?: string;
  inputs: readonly string[];
  vars: readonly string[];
  secretFiles: readonly string[];
  /** Names of secrets given with --secret; their values are never printed, so the command passes them by name from the environment. */
  secretNames: readonly string[];
  executor?: string;
  actionCache?: string;
}

/** Quotes a word for a POSIX shell when it needs it. Pure. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command that re-runs only `job` of `workflow` with the same event, inputs, variables and secrets. Pure. */
export function rerunCommand(workflow: string, job: string, flags: RerunFlags): string {
  const words = ['slipway', 'run', workflow, '-j', job];
  if (flags.event) words.push('--event', flags.event);
  for (const i of flags.inputs) words.push('--input', i);
  for (const v of flags.vars) words.push('--var', v);
  for (const f of flags.secretFiles) words.push('--secret-file', f);
  for (const s of flags.secretNames) words.push('--secret', s);
  if (flags.executor) words.push('--executor', flags.executor);
  if (flags.actionCache) words.push('--action-cache', flags.actionCache);
  return words.map(shellQuote).join(' ');
}
