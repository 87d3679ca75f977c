import { describe, expect, it } from 'vitest';
import { referencedContexts } from './references.js';

describe('referencedContexts', () => {
  it.each([
    ['no expression', 'echo $TOKEN', [], [], false],
    ['dot access', 'echo ${{ secrets.NPM_TOKEN }}', ['NPM_TOKEN'], ['secrets'], false],
    ['index access', "${{ secrets['my-key'] }} ${{ secrets[ 'It''s' ] }}", ['my-key', "It's"], ['secrets'], false],
    ['repeats and case', '${{ secrets.A }} ${{ secrets.a }} ${{ SECRETS.B }}', ['A', 'B'], ['secrets'], false],
    ['nested property', '${{ secrets.CFG.user }}', ['CFG'], ['secrets'], false],
    ['inside a function', "${{ format('{0}:{1}', secrets.USER, secrets.PASS) }}", ['USER', 'PASS'], ['secrets'], false],
    ['other contexts', '${{ github.ref }} ${{ env.X || matrix.os }} ${{ needs.build.outputs.v }}', [], ['github', 'env', 'matrix', 'needs'], false],
    ['a property named secrets is not the context', '${{ github.event.secrets.X }}', [], ['github'], false],
    ['a string is not a reference', "${{ 'secrets.X' }}", [], [], false],
    ['the whole context', '${{ toJSON(secrets) }}', [], ['secrets'], true],
    ['a computed key', '${{ secrets[matrix.name] }}', [], ['secrets', 'matrix'], true],
    ['a star', '${{ secrets.* }}', [], ['secrets'], true],
    ['an unclosed expression still counts', 'x ${{ secrets.T', ['T'], ['secrets'], false],
  ])('%s', (_name, text, secrets, contexts, all) => {
    expect(referencedContexts(text)).toEqual({ secrets, contexts, allSecrets: all });
  });

  it('scans every string of a value, keys included', () => {
    const step = { run: 'echo ${{ secrets.A }}', env: { B: '${{ secrets.B }}', '${{ secrets.C }}': 'x' }, with: [1, '${{ secrets.D }}'] };
    expect(referencedContexts(step).secrets).toEqual(['A', 'B', 'C', 'D']);
  });

  it('falls back to a plain scan for JSON-escaped text the lexer refuses', () => {
    const json = JSON.stringify({ run: 'echo ${{\n secrets.A }} ${{ secrets.B\n}}' });
    expect(referencedContexts(json)).toEqual({ secrets: ['A', 'B'], contexts: ['secrets'], allSecrets: false });
  });

  it('reads a bare condition when asked', () => {
    expect(referencedContexts("github.ref == 'x'", { condition: true }).contexts).toEqual(['github']);
    expect(referencedContexts("github.ref == 'x'").contexts).toEqual([]);
  });
});
