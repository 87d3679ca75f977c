import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, lstat, mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { SlipwayError } from '@slipway/core';

/** A stored blob: its content address and size in bytes. */
export interface BlobRef {
  /** `sha256:` and the 64 hex digits of the sha256 of the bytes. */
  digest: string;
  size: number;
}

/**
 * Content-addressed files under `<dir>/sha256/<aa>/<hex>`: the same bytes are stored once, and a blob never changes
 * after it is written.
 */
export interface BlobStore {
  readonly dir: string;
  /** Stores a stream, or the file at a path. Written to a temporary file and renamed into place, so a blob is whole or absent. */
  put(source: Readable | string, options?: { signal?: AbortSignal }): Promise<BlobRef>;
  /** Reads a blob; SLW_NOT_FOUND when it is not stored. */
  open(digest: string): Promise<Readable>;
  has(digest: string): Promise<boolean>;
  /** Where a blob is (or would be) stored. */
  path(digest: string): string;
  /**
   * Archives files and directories as a deterministic tar.gz (sorted names, mtime 0, owner 0) and stores it: the same
   * content gives the same digest. `paths` are relative to `cwd`, or absolute; names keep `..` and a leading `/`.
   */
  packDirectory(paths: string[], cwd: string, options?: { signal?: AbortSignal }): Promise<BlobRef>;
  /**
   * Extracts an archive into `dest`. Names with `..` or a leading `/` are written outside `dest` only with
   * `absoluteNames` (caches of paths outside the workspace); otherwise tar strips them.
   */
  unpack(digest: string, dest: string, options?: { absoluteNames?: boolean; signal?: AbortSignal }): Promise<void>;
}

const digestPattern = /^sha256:([0-9a-f]{64})$/;

export function createBlobStore(dir: string): BlobStore {
  const tmpDir = join(dir, 'tmp');
  const pathOf = (digest: string) => {
    const hex = digestPattern.exec(digest)?.[1];
    // Checked before the digest becomes a path: a crafted one must not reach outside the store.
    if (!hex) throw new SlipwayError('SLW_USAGE', `"${digest}" is not a sha256 digest (sha256:<64 hex digits>)`);
    return join(dir, 'sha256', hex.slice(0, 2), hex);
  };
  const exists = (path: string) => access(path).then(
    () => true,
    () => false,
  );

  const blobs: BlobStore = {
    dir,
    path: pathOf,
    has: (digest) => exists(pathOf(digest)),

    async put(source, options) {
      await mkdir(tmpDir, { recursive: true });
      const temp = join(tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}`);
      const hash = createHash('sha256');
      let size = 0;
      try {
        await pipeline(
          typeof source === 'string' ? createReadStream(source) : source,
          async function* (chunks: AsyncIterable<Buffer>) {
            for await (const chunk of chunks) {
              hash.update(chunk);
              size += chunk.length;
              yield chunk;
            }
          },
          // flush: the data is on disk before the rename makes the blob visible.
          createWriteStream(temp, { flush: true }),
          { signal: options?.signal },
        );
        const digest = `sha256:${hash.digest('hex')}`;
        const final = pathOf(digest);
        if (await exists(final)) {
          await unlink(temp);
        } else {
          await mkdir(dirname(final), { recursive: true });
          // Two writers of the same content may both get here; rename replaces atomically with identical bytes.
          await rename(temp, final);
        }
        return { digest, size };
      } catch (err) {
        await unlink(temp).catch(() => {});
        if (typeof source === 'string' && (err as NodeJS.ErrnoException).code === 'ENOENT') throw new SlipwayError('SLW_NOT_FOUND', `cannot store ${source}: no such file`, { cause: err });
        throw err;
      }
    },

    async open(digest) {
      const handle = await open(pathOf(digest), 'r').catch((err: NodeJS.ErrnoException) => {
        throw err.code === 'ENOENT' ? new SlipwayError('SLW_NOT_FOUND', `blob ${digest} is not in the blob store ${dir}`) : err;
      });
      return handle.createReadStream();
    },

    async packDirectory(paths, cwd, options) {
      if (paths.length === 0) throw new SlipwayError('SLW_USAGE', 'nothing to archive: no paths given');
      for (const p of paths) {
        await lstat(resolve(cwd, p)).catch(() => {
          throw new SlipwayError('SLW_NOT_FOUND', `cannot archive ${p}: no such file or directory in ${cwd}`);
        });
      }
      const tar = runTar(
        // --absolute-names keeps `..` and a leading `/` in names; --verbatim-files-from reads names as given, even ones
        // that start with `-`. The rest makes the archive depend on content alone.
        ['--create', '--file=-', '--format=gnu', '--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--absolute-names', '--null', '--verbatim-files-from', '--files-from=-'],
        cwd,
        options?.signal,
      );
      // --sort=name orders what is inside directories; the top-level order is ours to fix.
      const sorted = [...new Set(paths)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      tar.child.stdin!.end(sorted.map((p) => `${p}\0`).join(''));
      // gzip from zlib rather than tar -z: its header has no time or file name, so equal archives compress equally.
      const gzip = createGzip();
      tar.child.stdout!.pipe(gzip);
      return bothEnds(blobs.put(gzip, options), tar.done, 'work');
    },

    async unpack(digest, dest, options) {
      const source = await blobs.open(digest);
      await mkdir(dest, { recursive: true });
      const args = ['--extract', '--file=-', '--no-same-owner', ...(options?.absoluteNames ? ['--absolute-names'] : [])];
      const tar = runTar(args, dest, options?.signal);
      const feed = pipeline(source, createGunzip(), tar.child.stdin!).catch((err: NodeJS.ErrnoException) => {
        // tar stops reading at the archive's end marker and closes stdin, so the last bytes (record padding) may find the
        // pipe closed. That is no failure: tar's exit status says whether the archive was whole.
        if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
      });
      await bothEnds(feed, tar.done, 'tar');
    },
  };
  return blobs;
}

/**
 * Waits for both ends of a pipe to tar. When both failed, the cause wins over the broken pipe it caused on the other
 * side: `cause` names the end whose failure comes first (the store when packing, tar when unpacking).
 */
async function bothEnds<T>(work: Promise<T>, tar: Promise<void>, cause: 'work' | 'tar'): Promise<T> {
  const [w, t] = await Promise.allSettled([work, tar]);
  const failures = cause === 'work' ? [w, t] : [t, w];
  for (const f of failures) if (f.status === 'rejected') throw f.reason;
  return (w as PromiseFulfilledResult<T>).value;
}

/** Runs the system tar; `done` rejects with tar's own message when it fails. */
function runTar(args: string[], cwd: string, signal: AbortSignal | undefined) {
  const child = spawn('tar', args, { cwd, stdio: ['pipe', 'pipe', 'pipe'], signal });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const done = new Promise<void>((resolve, reject) => {
    child.once('error', (err) => reject(signal?.aborted ? signal.reason : new SlipwayError('SLW_INTERNAL', `cannot run tar: ${err.message}`, { cause: err, hint: 'Slipway needs GNU tar (1.28 or newer) on the PATH.' })));
    child.once('close', (code, sig) => {
      if (code === 0) resolve();
      else if (signal?.aborted) reject(signal.reason);
      else reject(new SlipwayError('SLW_INTERNAL', `tar ${args[0]} in ${cwd} failed (${sig ?? `exit ${code}`}): ${stderr.trim()}`));
    });
  });
  return { child, done };
}
