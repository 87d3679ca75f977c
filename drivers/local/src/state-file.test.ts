import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SlipwayError } from '@slipway/core';
import { loadState, saveState, type DriverState } from './state-file.js';

const root = mkdtempSync(join(tmpdir(), 'slipway-state-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const newDir = () => join(root, String(++dirs));

const instance = { id: 'i1', pid: 123, port: 4001, revision: 'r1', releaseId: 'rel1', startedAt: '2024-01-01T00:00:00.000Z', healthPath: '/healthz' };

describe('driver state file', () => {
  it('is empty when absent', () => {
    expect(loadState(newDir())).toEqual({ version: 1, environments: {} });
  });

  it('round-trips and leaves no temporary file behind', () => {
    const dir = newDir();
    const state: DriverState = { version: 1, environments: { staging: { web: { port: 4000, instance }, api: { port: 4002, instance: null } } } };
    saveState(dir, state);
    expect(loadState(dir)).toEqual(state);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it.each([
    { name: 'not JSON', text: '{"version":' },
    { name: 'another version', text: JSON.stringify({ version: 2, environments: {} }) },
    { name: 'a port that is not a number', text: JSON.stringify({ version: 1, environments: { e: { web: { port: '80', instance: null } } } }) },
    { name: 'an instance without a revision', text: JSON.stringify({ version: 1, environments: { e: { web: { port: 80, instance: { ...instance, revision: undefined } } } } }) },
  ])('refuses $name with SLW_INTERNAL and the path', ({ text }) => {
    const dir = newDir();
    saveState(dir, { version: 1, environments: {} });
    writeFileSync(join(dir, 'state.json'), text);
    expect(() => loadState(dir)).toThrow(SlipwayError);
    expect(() => loadState(dir)).toThrow(/state\.json cannot be read/);
  });
});
