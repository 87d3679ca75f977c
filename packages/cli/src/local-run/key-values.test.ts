import { describe, expect, it } from 'vitest';
import { parseAssignments } from './key-values.js';

describe('parseAssignments', () => {
  it('splits at the first =', () => {
    expect(parseAssignments(['a=1', 'b=x=y', 'c='], '--var')).toEqual({ a: '1', b: 'x=y', c: '' });
  });
  it('reads a bare name from the environment only when allowed', () => {
    expect(parseAssignments(['TOKEN'], '--secret', { allowBare: true, env: { TOKEN: 't' } })).toEqual({ TOKEN: 't' });
    expect(() => parseAssignments(['TOKEN'], '--secret', { allowBare: true, env: {} })).toThrow(/TOKEN is not set/);
    expect(() => parseAssignments(['a'], '--var')).toThrow(/--var "a" is not key=value/);
    expect(() => parseAssignments(['=1'], '--var')).toThrow(/not key=value/);
  });
});
