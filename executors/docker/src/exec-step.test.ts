import { describe, expect, it } from 'vitest';
import { stepEnvironment } from './exec-step.js';

describe('stepEnvironment', () => {
  it.each([
    ['valid names only', { A: '1', _B2: 'x=y' }, ['A=1', '_B2=x=y'], []],
    ['a hyphenated input', { 'INPUT_WHO-TO-GREET': 'Mona', INPUT_X: '1' }, ['INPUT_WHO-TO-GREET=Mona', 'INPUT_X=1'], ['env', 'INPUT_WHO-TO-GREET=Mona']],
    ['a name with a dot or a leading digit', { 'a.b': '1', '1A': '2' }, ['a.b=1', '1A=2'], ['env', 'a.b=1', '1A=2']],
  ])('%s', (_, env, all, restore) => {
    expect(stepEnvironment(env)).toEqual({ env: all, restore });
  });
});
