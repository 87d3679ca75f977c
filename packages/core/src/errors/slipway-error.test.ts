import { describe, expect, it } from 'vitest';
import { errorCatalog, type ErrorCode } from './catalog.js';
import { isTransient, SlipwayError, toExitCode, toHttpStatus, toSlipwayError } from './slipway-error.js';

const position = { file: 'slipway.yaml', line: 7, col: 5 };

describe('SlipwayError', () => {
  it.each([
    ['with a position', new SlipwayError('SLW_CONFIG_INVALID', 'services.api.port: too small', { position }), 'slipway.yaml:7:5: SLW_CONFIG_INVALID services.api.port: too small'],
    ['without a position', new SlipwayError('SLW_NOT_FOUND', 'run r_1 not found'), 'SLW_NOT_FOUND run r_1 not found'],
    ['with a path but no position', new SlipwayError('SLW_CONFIG_INVALID', 'bad', { path: 'services.api' }), 'SLW_CONFIG_INVALID bad'],
  ])('formats %s', (_what, err, expected) => {
    expect(err.format()).toBe(expected);
  });

  it('takes its hint from the catalog unless one is given', () => {
    expect(new SlipwayError('SLW_USAGE', 'x').hint).toBe(errorCatalog.SLW_USAGE.hint);
    expect(new SlipwayError('SLW_USAGE', 'x', { hint: 'Pass --name.' }).hint).toBe('Pass --name.');
  });

  it('keeps the cause', () => {
    const cause = new Error('ECONNREFUSED');
    expect(new SlipwayError('SLW_STORE_UNAVAILABLE', 'x', { cause }).cause).toBe(cause);
    expect('cause' in new SlipwayError('SLW_STORE_UNAVAILABLE', 'x')).toBe(false);
  });

  it('serialises to JSON without a stack, cause or name', () => {
    const err = new SlipwayError('SLW_CONFIG_INVALID', 'bad port', { position, path: 'services.api.port', hint: 'Use 1024 or above.', cause: new Error('inner') });
    const json = JSON.parse(JSON.stringify(err)) as Record<string, unknown>;
    expect(json).toEqual({ code: 'SLW_CONFIG_INVALID', message: 'bad port', hint: 'Use 1024 or above.', position, path: 'services.api.port' });
    expect(JSON.stringify(err)).not.toContain('at ');
  });

  it('leaves position and path out of JSON when unknown', () => {
    expect(new SlipwayError('SLW_CONFLICT', 'busy').toJSON()).toEqual({ code: 'SLW_CONFLICT', message: 'busy', hint: errorCatalog.SLW_CONFLICT.hint });
  });
});

describe('toHttpStatus and toExitCode', () => {
  it.each<[string, unknown, number, number]>([
    ['a config error', new SlipwayError('SLW_CONFIG_INVALID', 'x'), 422, 2],
    ['a usage error', new SlipwayError('SLW_USAGE', 'x'), 400, 64],
    ['a missing token', new SlipwayError('SLW_AUTH_REQUIRED', 'x'), 401, 77],
    ['not found', new SlipwayError('SLW_NOT_FOUND', 'x'), 404, 66],
    ['a lost lease', new SlipwayError('SLW_LEASE_LOST', 'x'), 409, 75],
    ['a plain Error', new Error('boom'), 500, 70],
    ['a thrown string', 'boom', 500, 70],
    ['undefined', undefined, 500, 70],
  ])('maps %s', (_what, err, http, exit) => {
    expect(toHttpStatus(err)).toBe(http);
    expect(toExitCode(err)).toBe(exit);
  });

  it('follows the catalog for every code', () => {
    for (const code of Object.keys(errorCatalog) as ErrorCode[]) {
      expect(toHttpStatus(new SlipwayError(code, 'x'))).toBe(errorCatalog[code].http);
      expect(toExitCode(new SlipwayError(code, 'x'))).toBe(errorCatalog[code].exit);
    }
  });
});

describe('toSlipwayError', () => {
  it('returns a SlipwayError unchanged', () => {
    const err = new SlipwayError('SLW_CONFLICT', 'x');
    expect(toSlipwayError(err)).toBe(err);
  });

  it('wraps an unexpected throw as SLW_INTERNAL with a bug-report hint and the original as cause', () => {
    const original = new TypeError("Cannot read properties of undefined (reading 'id')");
    const err = toSlipwayError(original);
    expect(err.code).toBe('SLW_INTERNAL');
    expect(err.message).toBe(original.message);
    expect(err.hint).toMatch(/bug/i);
    expect(err.cause).toBe(original);
    expect(toSlipwayError(42).message).toBe('42');
  });
});

describe('isTransient', () => {
  it.each<[ErrorCode, boolean]>([
    ['SLW_SOURCE_UNREACHABLE', true],
    ['SLW_STORE_UNAVAILABLE', true],
    ['SLW_LEASE_LOST', true],
    ['SLW_CONFIG_INVALID', false],
    ['SLW_HEALTH_CHECK_FAILED', false],
    ['SLW_INTERNAL', false],
  ])('%s → %s', (code, expected) => {
    expect(isTransient(new SlipwayError(code, 'x'))).toBe(expected);
  });

  it('treats a plain Error as terminal', () => {
    expect(isTransient(new Error('x'))).toBe(false);
  });
});
