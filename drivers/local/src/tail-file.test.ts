import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLastLines } from './tail-file.js';

const dir = mkdtempSync(join(tmpdir(), 'slipway-tail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readLastLines', () => {
  it.each([
    { name: 'empty file', content: '', count: 5, maxBytes: undefined, want: [] },
    { name: 'fewer lines than asked', content: 'a\nb\n', count: 5, maxBytes: undefined, want: ['a', 'b'] },
    { name: 'the last lines', content: 'a\nb\nc\nd\n', count: 2, maxBytes: undefined, want: ['c', 'd'] },
    { name: 'no trailing newline', content: 'a\nb', count: 1, maxBytes: undefined, want: ['b'] },
    { name: 'a fragment cut by maxBytes is dropped', content: 'first line\nsecond\nthird\n', count: 10, maxBytes: 12, want: ['third'] },
    { name: 'zero lines', content: 'a\n', count: 0, maxBytes: undefined, want: [] },
  ])('$name', async ({ name, content, count, maxBytes, want }) => {
    const file = join(dir, `${name.replaceAll(' ', '-')}.log`);
    writeFileSync(file, content);
    expect(await readLastLines(file, count, maxBytes)).toEqual(want);
  });

  it('has no lines for a missing file', async () => {
    expect(await readLastLines(join(dir, 'missing.log'), 3)).toEqual([]);
  });
});
