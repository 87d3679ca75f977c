import { describe, expect, it } from 'vitest';
import { findMarkedComment } from './find-comment.js';
import { hasMarker, markedBody, markerComment } from './marker.js';
import { shortDescription } from './options.js';

describe('comment markers', () => {
  it('puts a hidden HTML comment on the first line', () => {
    expect(markedBody('## Plan', 'slipway-plan')).toBe('<!-- slipway-plan -->\n## Plan');
    expect(hasMarker('<!-- slipway-plan -->\n## Plan', 'slipway-plan')).toBe(true);
    expect(hasMarker('<!-- slipway-plan-2 -->', 'slipway-plan')).toBe(false);
    expect(hasMarker(null, 'slipway-plan')).toBe(false);
  });

  it.each(['', 'a--b', 'x>', 'with space', '-lead'])('refuses the marker %j, which would break out of the comment', (marker) => {
    expect(() => markerComment(marker)).toThrow(/marker/);
  });
});

describe('findMarkedComment', () => {
  const pages = (all: { id: number; body: string }[], size: number) => {
    const asked: number[] = [];
    return { asked, list: async (page: number) => (asked.push(page), all.slice((page - 1) * size, page * size)) };
  };

  it.each([
    ['on the first page', 1, [1], 2],
    ['on a later page', 7, [1, 2, 3], 8],
  ])('finds it %s', async (_what, index, asked, id) => {
    const all = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, body: i === index ? '<!-- m -->\nx' : 'y' }));
    const p = pages(all, 3);
    expect((await findMarkedComment(p.list, 3, 'm'))?.id).toBe(id);
    expect(p.asked).toEqual(asked);
  });

  it('stops at the first short page', async () => {
    const p = pages(Array.from({ length: 5 }, (_, i) => ({ id: i, body: 'y' })), 3);
    expect(await findMarkedComment(p.list, 3, 'm')).toBeUndefined();
    expect(p.asked).toEqual([1, 2]);
  });
});

describe('shortDescription', () => {
  it.each([
    ['ok', 'ok'],
    ['two\n lines', 'two lines'],
    ['x'.repeat(200), `${'x'.repeat(139)}…`],
  ])('%j', (input, expected) => {
    expect(shortDescription(input)).toBe(expected);
  });
});
