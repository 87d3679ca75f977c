/**
 * GitHub Actions' shells: the command line that runs a step's script file. A custom shell is a template with `{0}`
 * for the script file. Pure, so that every executor builds the same command line.
 */
const builtins: Record<string, string> = {
  bash: 'bash --noprofile --norc -eo pipefail {0}',
  sh: 'sh -e {0}',
  node: 'node {0}',
  python: 'python3 {0}',
  pwsh: 'pwsh -command . {0}',
};

const extensions: Record<string, string> = { node: '.js', python: '.py', pwsh: '.ps1' };

/** The argv for a step: its shell (default bash) with `{0}` replaced by the script file. */
export function shellCommand(shell: string | undefined, scriptFile: string): string[] {
  const template = builtins[shell ?? 'bash'] ?? (shell!.includes('{0}') ? shell! : `${shell} {0}`);
  return template
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => part.replace('{0}', scriptFile));
}

/** The file extension a script needs for its shell (node wants `.js`). */
export function scriptExtension(shell: string | undefined): string {
  return extensions[shell ?? 'bash'] ?? '.sh';
}
