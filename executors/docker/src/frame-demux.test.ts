import { describe, expect, it } from 'vitest';
import { createFrameDemux } from './frame-demux.js';

const frame = (type: number, text: string) => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

/** Feeds `bytes` in chunks of `size` and returns what came out, as [stream, text] pairs joined per stream. */
function demux(bytes: Buffer, size: number) {
  const got: [string, string][] = [];
  const d = createFrameDemux((stream, payload) => got.push([stream, payload.toString()]));
  for (let i = 0; i < bytes.length; i += size) d.push(bytes.subarray(i, i + size));
  return got;
}

describe('createFrameDemux', () => {
  const stream = Buffer.concat([frame(1, 'out one\n'), frame(2, 'err\n'), frame(1, ''), frame(1, 'out two')]);
  const expected = [
    ['stdout', 'out one\n'],
    ['stderr', 'err\n'],
    ['stdout', ''],
    ['stdout', 'out two'],
  ];

  it.each([1, 3, 7, 8, 9, 1000])('splits frames cut into chunks of %i bytes', (size) => {
    expect(demux(stream, size)).toEqual(expected);
  });

  it('waits for the rest of a frame', () => {
    const got: string[] = [];
    const d = createFrameDemux((_, payload) => got.push(payload.toString()));
    d.push(frame(1, 'complete').subarray(0, 10));
    expect(got).toEqual([]);
    d.push(frame(1, 'complete').subarray(10));
    expect(got).toEqual(['complete']);
  });
});
