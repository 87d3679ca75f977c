import { open } from 'node:fs/promises';

/**
 * The last `count` lines of a text file, reading at most `maxBytes` from its end so that a large log costs no more
 * than its tail. A missing file has no lines.
 */
export async function readLastLines(path: string, count: number, maxBytes = 1024 * 1024): Promise<string[]> {
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return [];
  }
  try {
    const { size } = await file.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    // When we started mid-file, the first line is a fragment.
    if (length < size) lines.shift();
    if (lines.at(-1) === '') lines.pop();
    return count > 0 ? lines.slice(-count) : [];
  } finally {
    await file.close();
  }
}
