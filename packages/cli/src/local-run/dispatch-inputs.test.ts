import { describe, expect, it } from 'vitest';
import { SlipwayError, type WorkflowDispatchInput } from '@slipway/core';
import { checkDispatchInputs } from './dispatch-inputs.js';

const spec: Record<string, WorkflowDispatchInput> = {
  env: { type: 'choice', options: ['dev', 'prod'], default: 'dev' },
  dry: { type: 'boolean', default: true },
  count: { type: 'number', required: true },
  note: { type: 'string' },
};

const failure = (given: Record<string, string>, declared: Record<string, WorkflowDispatchInput> | undefined = spec) => {
  try {
    checkDispatchInputs(declared, given, 'd.yml');
  } catch (err) {
    return err as SlipwayError;
  }
  throw new Error('expected an error');
};

describe('checkDispatchInputs', () => {
  it('types given values and fills in defaults', () => {
    expect(checkDispatchInputs(spec, { count: '3', dry: 'false' }, 'd.yml')).toEqual({ env: 'dev', dry: false, count: 3 });
    expect(checkDispatchInputs(spec, { count: '1', env: 'prod', note: 'hi' }, 'd.yml')).toEqual({ env: 'prod', dry: true, count: 1, note: 'hi' });
  });

  it.each([
    [{ count: '1', evn: 'dev' }, /unexpected input "evn" \(did you mean "env"\?\)/],
    [{}, /input "count" is required/],
    [{ count: 'many' }, /"count" must be a number/],
    [{ count: '1', dry: 'yes' }, /"dry" must be a boolean/],
    [{ count: '1', env: 'qa' }, /must be one of dev, prod/],
  ])('rejects %o as a usage error', (given, message) => {
    const err = failure(given);
    expect(err.code).toBe('SLW_USAGE');
    expect(err.message).toMatch(message);
    expect(err.hint).toBe('d.yml takes env (dev|prod), dry (boolean), count (number, required), note (string). Pass each with --input name=value.');
  });

  it('says when the workflow takes no inputs', () => {
    expect(failure({ x: '1' }, {}).hint).toMatch(/declares no inputs/);
  });
});
