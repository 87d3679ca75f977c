import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseActionManifest } from './action-schema.js';

const testdata = new URL('testdata/actions/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, testdata), 'utf8');
const fixtures = (dir: string) => readdirSync(new URL(dir, testdata)).filter((f) => f.endsWith('.yml')).sort();
const parse = (path: string) => parseActionManifest(read(path), `actions/${path}`);

describe('parseActionManifest', () => {
  // Each valid/<name>.yml parses to exactly valid/<name>.json.
  it.each(fixtures('valid/'))('accepts %s', (name) => {
    const { value, errors } = parse(`valid/${name}`);
    expect(errors.map((e) => e.format())).toEqual([]);
    expect(value).toEqual(JSON.parse(read(`valid/${name.replace(/\.yml$/, '.json')}`)));
  });

  // Each invalid/<name>.yml yields exactly the lines of invalid/<name>.errors.
  it.each(fixtures('invalid/'))('rejects %s', (name) => {
    const { value, errors } = parse(`invalid/${name}`);
    expect(value).toBeUndefined();
    expect(errors.map((e) => e.format())).toEqual(read(`invalid/${name.replace(/\.yml$/, '.errors')}`).trimEnd().split('\n'));
  });

  it.each([
    ['unknown-runtime.yml', 'Use one of: composite, node12, node16, node20, node24, docker.'],
    ['composite-steps.yml', 'Add shell: bash (or sh, pwsh, python, …).'],
    ['outputs.yml', 'Fix the action manifest at the position shown.'],
  ])('gives %s a hint with the fix', (name, hint) => {
    expect(parse(`invalid/${name}`).errors[0]?.hint).toBe(hint);
  });

  it('reads the runtime as a discriminant', () => {
    const runs = parse('valid/node.yml').value?.runs;
    expect(runs?.using === 'node20' && runs.main).toBe('dist/index.js');
  });

  it('reports broken YAML with its own code', () => {
    expect(parseActionManifest('name: [', 'action.yml').errors.map((e) => e.code)).toEqual(['SLW_CONFIG_YAML']);
  });
});
