import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How to authenticate to a project's remote: a token over https, or an ssh private key. Values come from secrets. */
export type GitCredentials = { username?: string; token: string } | { sshKey: string };

/**
 * Runs `fn` with the environment that makes git use the credentials, and nothing on its command line: over https an
 * askpass helper answers git's prompts from variables of the child's environment; over ssh the key is written to a
 * private temporary file for the duration of the call. Neither is stored in a mirror's config or shown in `ps`.
 */
export async function withCredentials<T>(credentials: GitCredentials | undefined, stateDir: string, fn: (env: Record<string, string>) => Promise<T>): Promise<T> {
  if (!credentials) return fn({});
  if ('token' in credentials) {
    return fn({ GIT_ASKPASS: askpassScript(stateDir), SLIPWAY_GIT_USERNAME: credentials.username ?? 'x-access-token', SLIPWAY_GIT_PASSWORD: credentials.token });
  }
  const dir = await mkdtemp(join(tmpdir(), 'slipway-ssh-'));
  const key = join(dir, 'key');
  try {
    await writeFile(key, credentials.sshKey.endsWith('\n') ? credentials.sshKey : `${credentials.sshKey}\n`, { mode: 0o600 });
    const knownHosts = join(stateDir, 'known_hosts');
    return await fn({ GIT_SSH_COMMAND: `ssh -i '${key}' -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile='${knownHosts}'` });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The askpass helper: it prints the username or the password git asks for, from its environment. */
function askpassScript(stateDir: string): string {
  const path = join(stateDir, 'askpass.sh');
  if (!existsSync(path)) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(path, '#!/bin/sh\ncase "$1" in\n  Username*) printf \'%s\\n\' "$SLIPWAY_GIT_USERNAME" ;;\n  *) printf \'%s\\n\' "$SLIPWAY_GIT_PASSWORD" ;;\nesac\n', { mode: 0o700 });
    chmodSync(path, 0o700);
  }
  return path;
}
