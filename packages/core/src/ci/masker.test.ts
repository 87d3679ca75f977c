import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMasker } from './masker.js';
import { base64 } from './secret-encodings.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function masked(secrets: string[], text: string): string {
  const masker = createMasker();
  for (const s of secrets) masker.add(s);
  return masker.mask(text);
}

describe('createMasker', () => {
  it.each([
    ['nothing to mask', [], 'hello', 'hello'],
    ['a value', ['s3cret'], 'token=s3cret; again s3cret', 'token=***; again ***'],
    ['empty and whitespace values are ignored', ['', '  ', '\n'], 'a b\nc', 'a b\nc'],
    ['a one-character value, as the runner does', ['x'], 'xyx', '***y***'],
    ['overlapping secrets mask fully, whatever the order', ['abcd', 'cdef'], '-abcdef-', '-***-'],
    ['a secret inside another', ['pass', 'password'], 'my password', 'my ***'],
    ['adjacent occurrences merge', ['ab'], 'ababab', '***'],
    ['base64', ['s3cret-value'], `echo ${b64('s3cret-value')}`, 'echo ***'],
    ['base64 inside a longer encoded text, any alignment', ['s3cret-value'], [b64('user:s3cret-value'), b64('u:s3cret-value'), b64('us:s3cret-value!')].join(' '), /^[A-Za-z0-9+/=]{0,8}\*\*\*[A-Za-z0-9+/=]{0,4} [A-Za-z0-9+/=]{0,8}\*\*\*[A-Za-z0-9+/=]{0,4} [A-Za-z0-9+/=]{0,8}\*\*\*[A-Za-z0-9+/=]{0,4}$/],
    ['base64url', ['s3cret?value>>'], `jwt ${b64('s3cret?value>>').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`, 'jwt ***'],
    ['URL-encoded', ['p@ss word/1!'], `url=${encodeURIComponent('p@ss word/1!')} or p%40ss%20word%2F1%21`, 'url=*** or ***'],
    ['JSON-escaped', ['say "hi"\\now'], JSON.stringify({ v: 'say "hi"\\now' }), '{"v":"***"}'],
    ['each line of a multi-line secret', ['-----BEGIN KEY-----\r\n  MIIabc123\n-----END KEY-----'], 'MIIabc123 and\n  -----BEGIN KEY-----', '*** and\n  ***'],
    ['a secret of asterisks cannot be hidden and does not loop', ['**'], 'a ** b', 'a ** b'],
    ['masking does not spell the secret again', ['*b'], 'a*bb', 'a*****'],
  ])('%s', (_name, secrets, text, expected) => {
    const out = masked(secrets as string[], text);
    if (expected instanceof RegExp) expect(out).toMatch(expected);
    else expect(out).toBe(expected);
  });

  it('lists the secrets added, once each', () => {
    const masker = createMasker();
    masker.add('a1');
    masker.add('a1');
    masker.add(' ');
    masker.add('b2');
    expect(masker.secrets).toEqual(['a1', 'b2']);
  });

  it('encodes base64 as Buffer does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        expect(base64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      }),
    );
  });

  it('leaves neither a secret nor its base64 in any text', () => {
    // A secret of asterisks only is exactly what masking writes; it cannot be hidden, so it is left out.
    const secret = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }).filter((s) => s.trim() !== '' && !/^\*+$/.test(s));
    const text = fc.string({ unit: 'grapheme', maxLength: 30 });
    fc.assert(
      fc.property(fc.array(secret, { minLength: 1, maxLength: 3 }), fc.array(text, { minLength: 4, maxLength: 4 }), (secrets, [a, b, c, d]) => {
        const masker = createMasker();
        for (const s of secrets) masker.add(s);
        const input = `${a}${secrets[0]}${b}${b64(secrets.at(-1)!)}${c}${secrets.join(d)}${d}`;
        const out = masker.mask(input);
        for (const s of secrets) {
          expect(out).not.toContain(s);
          expect(out).not.toContain(b64(s));
        }
      }),
      { numRuns: 500 },
    );
  });
});
