import { describe, expect, it } from 'vitest';
import { closest } from './did-you-mean.js';

describe('closest', () => {
  const keys = ['name', 'needs', 'runs-on', 'steps', 'timeout-minutes', 'uses'];
  it.each([
    ['stpes', 'steps'], // a swap of two neighbours is one edit
    ['runs_on', 'runs-on'],
    ['Steps', 'steps'], // case does not count
    ['timeout_minute', 'timeout-minutes'],
    ['nme', 'name'],
    ['use', 'uses'],
    ['container', undefined], // nothing close
    ['steps', undefined], // the name itself is not a suggestion
    ['x', undefined],
  ])('%s → %s', (name, expected) => {
    expect(closest(name, keys)).toBe(expected);
  });
});
