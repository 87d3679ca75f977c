import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, readlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createBlobStore } from './blob-store.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-blobs-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const sha = (s: string | Buffer) => `sha256:${createHash('sha256').update(s).digest('hex')}`;

/** A small tree: nested files, an executable, a symlink and an empty directory. */
function makeTree(root: string): void {
  mkdirSync(join(root, 'src', 'deep'), { recursive: true });
  mkdirSync(join(root, 'empty'));
  writeFileSync(join(root, 'src', 'a.txt'), 'alpha\n');
  writeFileSync(join(root, 'src', 'deep', 'b.txt'), 'beta\n');
  writeFileSync(join(root, 'run.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(root, 'run.sh'), 0o755);
  symlinkSync('src/a.txt', join(root, 'link'));
}

describe('createBlobStore', () => {
  it('stores a stream and a file by content address, once', async () => {
    const dir = tempDir();
    const blobs = createBlobStore(join(dir, 'blobs'));
    const ref = await blobs.put(Readable.from([Buffer.from('hello '), Buffer.from('world')]));
    expect(ref).toEqual({ digest: sha('hello world'), size: 11 });
    const hex = ref.digest.slice(7);
    expect(blobs.path(ref.digest)).toBe(join(dir, 'blobs', 'sha256', hex.slice(0, 2), hex));
    expect(readFileSync(blobs.path(ref.digest), 'utf8')).toBe('hello world');
    writeFileSync(join(dir, 'same.txt'), 'hello world');
    expect(await blobs.put(join(dir, 'same.txt'))).toEqual(ref);
    expect(await blobs.has(ref.digest)).toBe(true);
    expect(await text(await blobs.open(ref.digest))).toBe('hello world');
    // Deduplicated, and no temporary file left behind.
    expect(readdirSync(join(dir, 'blobs', 'sha256', hex.slice(0, 2)))).toEqual([hex]);
    expect(readdirSync(join(dir, 'blobs', 'tmp'))).toEqual([]);
  });

  it('stores concurrent writers of the same content as one blob', async () => {
    const blobs = createBlobStore(tempDir());
    const data = Buffer.alloc(1 << 20, 7);
    const refs = await Promise.all(Array.from({ length: 6 }, () => blobs.put(Readable.from([data]))));
    expect(new Set(refs.map((r) => r.digest))).toEqual(new Set([sha(data)]));
    expect(readFileSync(blobs.path(sha(data))).equals(data)).toBe(true);
    expect(readdirSync(join(blobs.dir, 'tmp'))).toEqual([]);
  });

  it('reports missing blobs and files, and refuses digests that are not sha256', async () => {
    const blobs = createBlobStore(tempDir());
    const absent = sha('absent');
    expect(await blobs.has(absent)).toBe(false);
    await expect(blobs.open(absent)).rejects.toMatchObject({ code: 'SLW_NOT_FOUND' });
    await expect(blobs.put(join(blobs.dir, 'no-such-file'))).rejects.toMatchObject({ code: 'SLW_NOT_FOUND' });
    expect(readdirSync(join(blobs.dir, 'tmp'))).toEqual([]);
    for (const bad of ['sha256:../../etc/passwd', 'md5:abc', `sha256:${'A'.repeat(64)}`]) expect(() => blobs.path(bad)).toThrow(/not a sha256 digest/);
  });

  it('stops a put when its signal aborts, leaving nothing behind', async () => {
    const blobs = createBlobStore(tempDir());
    const controller = new AbortController();
    const endless = new Readable({ read() {} });
    endless.push('start');
    const put = blobs.put(endless, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(put).rejects.toThrow();
    expect(readdirSync(join(blobs.dir, 'tmp'))).toEqual([]);
  });

  it('packs deterministically: same content, other times and order, same digest', async () => {
    const blobs = createBlobStore(tempDir());
    const a = tempDir();
    const b = tempDir();
    makeTree(a);
    makeTree(b);
    utimesSync(join(b, 'src', 'a.txt'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const first = await blobs.packDirectory(['src', 'run.sh', 'link', 'empty'], a);
    const second = await blobs.packDirectory(['empty', 'link', 'run.sh', 'src'], b);
    expect(second.digest).toBe(first.digest);
    writeFileSync(join(b, 'src', 'a.txt'), 'changed\n');
    expect((await blobs.packDirectory(['src', 'run.sh', 'link', 'empty'], b)).digest).not.toBe(first.digest);
  });

  it('unpacks what it packed: contents, modes, symlinks and empty directories', async () => {
    const blobs = createBlobStore(tempDir());
    const src = tempDir();
    makeTree(src);
    const ref = await blobs.packDirectory(['.'], src);
    const dest = join(tempDir(), 'out');
    await blobs.unpack(ref.digest, dest);
    expect(readFileSync(join(dest, 'src', 'deep', 'b.txt'), 'utf8')).toBe('beta\n');
    expect(statSync(join(dest, 'run.sh')).mode & 0o111).not.toBe(0);
    expect(readlinkSync(join(dest, 'link'))).toBe('src/a.txt');
    expect(statSync(join(dest, 'empty')).isDirectory()).toBe(true);
  });

  it('writes names outside the destination only with absoluteNames', async () => {
    const blobs = createBlobStore(tempDir());
    const outside = join(tempDir(), 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'kept.txt'), 'kept');
    const ref = await blobs.packDirectory([outside], tempDir());
    rmSync(outside, { recursive: true });
    const dest = tempDir();
    await blobs.unpack(ref.digest, dest);
    expect(existsSync(outside)).toBe(false);
    expect(readFileSync(join(dest, outside, 'kept.txt'), 'utf8')).toBe('kept');
    await blobs.unpack(ref.digest, tempDir(), { absoluteNames: true });
    expect(readFileSync(join(outside, 'kept.txt'), 'utf8')).toBe('kept');
  });

  it('names the path that does not exist', async () => {
    const blobs = createBlobStore(tempDir());
    const cwd = tempDir();
    await expect(blobs.packDirectory(['missing-dir'], cwd)).rejects.toMatchObject({ code: 'SLW_NOT_FOUND', message: expect.stringContaining('missing-dir') });
    await expect(blobs.packDirectory([], cwd)).rejects.toMatchObject({ code: 'SLW_USAGE' });
  });

  it("reports tar failures with tar's message", async () => {
    const blobs = createBlobStore(tempDir());
    const notTar = await blobs.put(Readable.from([gzipSync(Buffer.alloc(2048, 'x'))]));
    await expect(blobs.unpack(notTar.digest, tempDir())).rejects.toMatchObject({ code: 'SLW_INTERNAL', message: expect.stringMatching(/tar --extract in .* failed \(exit 2\): .*does not look like a tar archive/s) });
  });
});
