import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSecretBox, secretKeyFileName } from './secret-box.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-secret-box-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const plain = 'hunter2-😀-ünïcode';
const errorText = (err: unknown) => JSON.stringify({ message: (err as Error).message, hint: (err as { hint?: string }).hint, cause: String((err as Error).cause) });

describe('createSecretBox', () => {
  it('seals with a fresh IV each time and opens what it sealed', async () => {
    const box = await createSecretBox({ dataDir: tempDir(), env: {} });
    const a = box.seal(plain);
    const b = box.seal(plain);
    expect(a).toMatch(/^v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]{22}==:[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(box.open(a)).toBe(plain);
    expect(box.open(b)).toBe(plain);
    expect(box.open(box.seal(''))).toBe('');
    expect(a).not.toContain(Buffer.from(plain).toString('base64'));
  });

  it('generates the key file once, with mode 0600, and reuses it', async () => {
    const dataDir = join(tempDir(), 'nested');
    const first = await createSecretBox({ dataDir, env: {} });
    const file = join(dataDir, secretKeyFileName);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(first.keySource).toBe('file');
    const again = await createSecretBox({ dataDir, env: {} });
    expect(again.open(first.seal(plain))).toBe(plain);
  });

  it('ends with one key when several processes start at once', async () => {
    const dataDir = tempDir();
    const boxes = await Promise.all(Array.from({ length: 8 }, () => createSecretBox({ dataDir, env: {} })));
    const sealed = boxes[0]!.seal(plain);
    for (const box of boxes) expect(box.open(sealed)).toBe(plain);
  });

  it.each([0o640, 0o604, 0o644, 0o620])('refuses a key file with mode %o', async (mode) => {
    const dataDir = tempDir();
    await createSecretBox({ dataDir, env: {} });
    const file = join(dataDir, secretKeyFileName);
    chmodSync(file, mode);
    const err = await createSecretBox({ dataDir, env: {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SLW_SECRET_KEY_INVALID', message: expect.stringContaining('accessible by group or others'), hint: expect.stringContaining(`chmod 600 ${file}`) });
    expect(errorText(err)).not.toContain(readFileSync(file, 'utf8').trim());
  });

  it('refuses a key file that does not hold 32 bytes', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, secretKeyFileName), 'c2hvcnQ=\n', { mode: 0o600 });
    await expect(createSecretBox({ dataDir, env: {} })).rejects.toMatchObject({ code: 'SLW_SECRET_KEY_INVALID', message: expect.stringContaining('decodes to 5 bytes') });
  });

  it('takes SLIPWAY_SECRET_KEY as hex or base64 and then writes no key file', async () => {
    const key = randomBytes(32);
    const dataDir = tempDir();
    const hex = await createSecretBox({ dataDir, env: { SLIPWAY_SECRET_KEY: key.toString('hex') } });
    const b64 = await createSecretBox({ dataDir, env: { SLIPWAY_SECRET_KEY: ` ${key.toString('base64')}\n` } });
    const url = await createSecretBox({ dataDir, env: { SLIPWAY_SECRET_KEY: key.toString('base64url') } });
    expect(hex.keySource).toBe('env');
    expect(b64.open(hex.seal(plain))).toBe(plain);
    expect(url.open(b64.seal(plain))).toBe(plain);
    expect(() => statSync(join(dataDir, secretKeyFileName))).toThrow();
  });

  it.each([
    ['too short', randomBytes(16).toString('base64'), 'decodes to 16 bytes'],
    ['too long hex', randomBytes(33).toString('hex'), 'decodes to'],
    ['not an encoding', 'not a key at all!', 'neither hex nor base64'],
  ])('refuses a SLIPWAY_SECRET_KEY that is %s, without quoting it', async (_what, value, expected) => {
    const err = await createSecretBox({ dataDir: tempDir(), env: { SLIPWAY_SECRET_KEY: value } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SLW_SECRET_KEY_INVALID', message: expect.stringContaining(expected) });
    expect(errorText(err)).not.toContain(value);
    expect((err as { hint: string }).hint).toContain('openssl rand -base64 32');
  });

  it('refuses a tampered value or another key without revealing the value', async () => {
    const box = await createSecretBox({ dataDir: tempDir(), env: {} });
    const sealed = box.seal(plain);
    const [v, iv, tag, body] = sealed.split(':') as [string, string, string, string];
    const flip = (b64: string) => {
      const buf = Buffer.from(b64, 'base64');
      buf[0]! ^= 1;
      return buf.toString('base64');
    };
    const other = await createSecretBox({ dataDir: tempDir(), env: {} });
    const attempts: [string, () => string][] = [
      ['ciphertext', () => box.open([v, iv, tag, flip(body)].join(':'))],
      ['tag', () => box.open([v, iv, flip(tag), body].join(':'))],
      ['iv', () => box.open([v, flip(iv), tag, body].join(':'))],
      ['version', () => box.open(['v2', iv, tag, body].join(':'))],
      ['truncated', () => box.open([v, iv, tag].join(':'))],
      ['another key', () => other.open(sealed)],
    ];
    for (const [what, attempt] of attempts) {
      let err: unknown;
      try {
        attempt();
      } catch (e) {
        err = e;
      }
      expect(err, what).toMatchObject({ code: 'SLW_SECRET_UNREADABLE' });
      expect(errorText(err), what).not.toContain(plain);
    }
  });
});
