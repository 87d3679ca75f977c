import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { link, mkdir, open, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SlipwayError } from '@slipway/core';

/** Seals secret values for the store and opens them for the runner. The key never leaves the box. */
export interface SecretBox {
  /** Where the key came from: SLIPWAY_SECRET_KEY, or `<dataDir>/secret.key`. */
  readonly keySource: 'env' | 'file';
  /** Encrypts with AES-256-GCM and a fresh random IV: `v1:<iv b64>:<tag b64>:<ciphertext b64>`. */
  seal(plain: string): string;
  /** Decrypts a sealed value; a changed value or another key throws SLW_SECRET_UNREADABLE. */
  open(sealed: string): string;
}

export interface SecretBoxOptions {
  /** Holds `secret.key` when SLIPWAY_SECRET_KEY is not set; created when missing. */
  dataDir: string;
  /** Where SLIPWAY_SECRET_KEY is read; default process.env. */
  env?: Record<string, string | undefined>;
}

/** The key file's name inside the data dir. */
export const secretKeyFileName = 'secret.key';

const keyBytes = 32;
const ivBytes = 12;
const tagBytes = 16;

/**
 * Opens the secret box: the 32-byte key comes from SLIPWAY_SECRET_KEY (base64 or hex), or else from `<dataDir>/secret.key`,
 * which is generated at the first start with mode 0600. A key file that group or others can access is refused, as ssh
 * refuses such a private key: the database alone must never be enough to read the secrets.
 */
export async function createSecretBox(options: SecretBoxOptions): Promise<SecretBox> {
  const fromEnv = (options.env ?? process.env).SLIPWAY_SECRET_KEY?.trim();
  const key = fromEnv ? parseKey(fromEnv, 'SLIPWAY_SECRET_KEY') : await keyFromFile(join(options.dataDir, secretKeyFileName), options.dataDir);
  return {
    keySource: fromEnv ? 'env' : 'file',
    seal(plain) {
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
    },
    open(sealed) {
      const [version, iv, tag, body, ...rest] = sealed.split(':');
      if (version !== 'v1' || body === undefined || rest.length > 0) {
        throw new SlipwayError('SLW_SECRET_UNREADABLE', 'a stored secret is not in the v1:<iv>:<tag>:<ciphertext> format');
      }
      const ivBuf = Buffer.from(iv!, 'base64');
      const tagBuf = Buffer.from(tag!, 'base64');
      if (ivBuf.length !== ivBytes || tagBuf.length !== tagBytes) throw new SlipwayError('SLW_SECRET_UNREADABLE', 'a stored secret has a malformed IV or tag');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, ivBuf, { authTagLength: tagBytes });
        decipher.setAuthTag(tagBuf);
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        // No cause and no detail: nothing about the value may reach a message or a log.
        throw new SlipwayError('SLW_SECRET_UNREADABLE', 'a stored secret failed its integrity check: it was changed, or sealed with another key');
      }
    },
  };
}

/** Decodes a key given as 64 hex digits or as base64 (standard or URL-safe). Messages never quote the key. */
function parseKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) key = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) key = Buffer.from(trimmed, 'base64');
  if (key?.length === keyBytes) return key;
  const what = key ? `decodes to ${key.length} bytes` : 'is neither hex nor base64';
  throw new SlipwayError('SLW_SECRET_KEY_INVALID', `${where} must be a ${keyBytes}-byte key, as 64 hex digits or base64; it ${what}`);
}

async function keyFromFile(path: string, dataDir: string): Promise<Buffer> {
  for (;;) {
    const handle = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw new SlipwayError('SLW_SECRET_KEY_INVALID', `cannot read the secret key ${path}: ${err.code ?? err.message}`, { cause: err });
    });
    if (!handle) {
      await generateKeyFile(path, dataDir).catch((err: NodeJS.ErrnoException) => {
        throw new SlipwayError('SLW_SECRET_KEY_INVALID', `cannot create the secret key ${path}: ${err.code ?? err.message}`, { cause: err, hint: 'Make the data dir writable, or set SLIPWAY_SECRET_KEY.' });
      });
      continue;
    }
    try {
      // Checked on the open file, so that the file we judge is the file we read.
      const { mode } = await handle.stat();
      if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
        throw new SlipwayError('SLW_SECRET_KEY_INVALID', `the secret key ${path} is accessible by group or others (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); refusing to use it`, {
          hint: `Run \`chmod 600 ${path}\`, and rotate the secrets if others may have read it.`,
        });
      }
      return parseKey(await handle.readFile('utf8'), path);
    } finally {
      await handle.close();
    }
  }
}

/**
 * Writes a fresh random key with mode 0600. The key goes to a temporary file first and is linked into place, which fails
 * when the file exists: two processes starting at once end up with one key, and no one reads a half-written file.
 */
async function generateKeyFile(path: string, dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${randomBytes(keyBytes).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(temp).catch(() => {});
  }
}
