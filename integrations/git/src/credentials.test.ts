import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { withCredentials } from './credentials.js';

describe('git credentials', () => {
  const state = mkdtempSync(join(tmpdir(), 'slipway-creds-'));
  afterAll(() => rmSync(state, { recursive: true, force: true }));

  it('gives a token through an askpass helper and the environment, never in arguments', async () => {
    const env = await withCredentials({ token: 't0k' }, state, async (e) => e);
    expect(env).toMatchObject({ SLIPWAY_GIT_USERNAME: 'x-access-token', SLIPWAY_GIT_PASSWORD: 't0k' });
    expect(statSync(env.GIT_ASKPASS!).mode & 0o777).toBe(0o700);
    const ask = (prompt: string) => execFileSync(env.GIT_ASKPASS!, [prompt], { env: { ...env, PATH: process.env.PATH }, encoding: 'utf8' });
    expect(ask("Username for 'https://git.example': ")).toBe('x-access-token\n');
    expect(ask("Password for 'https://x-access-token@git.example': ")).toBe('t0k\n');
    expect(readFileSync(env.GIT_ASKPASS!, 'utf8')).not.toContain('t0k');
  });

  it('writes an ssh key to a private file for the call only', async () => {
    let keyFile = '';
    await withCredentials({ sshKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----' }, state, async (env) => {
      keyFile = /-i '([^']+)'/.exec(env.GIT_SSH_COMMAND!)![1]!;
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(env.GIT_SSH_COMMAND).toContain('BatchMode=yes');
    });
    expect(existsSync(keyFile)).toBe(false);
  });

  it('adds nothing without credentials', async () => {
    expect(await withCredentials(undefined, state, async (env) => env)).toEqual({});
  });
});
