import { describe, expect, it } from 'vitest';
import { resolveDispatchInputs } from './dispatch-inputs.js';
import type { WorkflowDispatchInput } from './trigger-schema.js';

const declared: Record<string, WorkflowDispatchInput> = {
  name: { type: 'string', required: true },
  debug: { type: 'boolean' },
  count: { type: 'number', default: 2 },
  level: { type: 'choice', options: ['info', 'warning'], default: 'info' },
};

describe('resolveDispatchInputs', () => {
  it.each([
    ['typed values', { name: 'Mona', debug: 'true', count: '3', level: 'warning' }, { name: 'Mona', debug: true, count: 3, level: 'warning' }, []],
    ['defaults', { name: 'Mona' }, { name: 'Mona', count: 2, level: 'info' }, []],
    ['a missing required input', {}, { count: 2, level: 'info' }, ['input "name" is required']],
    ['a choice outside its options', { name: 'x', level: 'debug' }, { name: 'x', count: 2 }, ['input "level" must be one of info, warning, not "debug"']],
    ['a number that is not one', { name: 'x', count: 'many' }, { name: 'x', level: 'info' }, ['input "count" must be a number, not "many"']],
    ['an undeclared input', { name: 'x', extra: 1 }, { name: 'x', count: 2, level: 'info' }, ['unexpected input "extra"']],
  ])('%s', (_, given, inputs, problems) => {
    const r = resolveDispatchInputs(declared, given);
    expect(r.inputs).toEqual(inputs);
    expect(r.problems).toEqual(problems);
  });

  it('gives github.event.inputs as strings', () => {
    expect(resolveDispatchInputs(declared, { name: 'Mona', debug: true }).eventInputs).toEqual({ name: 'Mona', debug: 'true', count: '2', level: 'info' });
  });
});
