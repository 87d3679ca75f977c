import { describe, expect, it } from 'vitest';
import { SlipwayError } from '@slipway/core';
import { parseDotenv } from './dotenv.js';

describe('parseDotenv', () => {
  it.each([
    ['plain', 'A=1\nB=two words', { A: '1', B: 'two words' }],
    ['comments and blank lines', '# top\n\nA=1\n  # indented\n', { A: '1' }],
    ['export prefix', 'export TOKEN=abc', { TOKEN: 'abc' }],
    ['inline comment after whitespace', 'A=1 # note\nB=a#b', { A: '1', B: 'a#b' }],
    ['double quotes with escapes', 'A="x\\ny \\"q\\" # not a comment"', { A: 'x\ny "q" # not a comment' }],
    ['single quotes are literal', "A='$HOME \\n'", { A: '$HOME \\n' }],
    ['multi-line quoted value', 'KEY="-----BEGIN\nline\n-----END"\nB=2', { KEY: '-----BEGIN\nline\n-----END', B: '2' }],
    ['empty value', 'A=\nB=""', { A: '', B: '' }],
    ['value with =', 'URL=postgres://u:p@h/db?x=1', { URL: 'postgres://u:p@h/db?x=1' }],
    ['CRLF and BOM', '\uFEFFA=1\r\nB=2\r\n', { A: '1', B: '2' }],
    ['later wins', 'A=1\nA=2', { A: '2' }],
  ])('%s', (_name, text, expected) => {
    expect(parseDotenv(text, '.env')).toEqual(expected);
  });

  it.each([
    ['no =', 'A=1\njust words', '.env:2:1', 'expected KEY=value'],
    ['bad name', '1A=x', '.env:1:1', 'is not a valid name'],
    ['unclosed quote', 'A=1\nB="open', '.env:2:3', 'never closed'],
    ['text after quotes', 'A="x" y', '.env:1:1', 'unexpected text'],
  ])('rejects %s at file:line:col', (_name, text, where, message) => {
    let err: unknown;
    try {
      parseDotenv(text, '.env');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SlipwayError);
    expect((err as SlipwayError).format()).toMatch(new RegExp(`^${where.replace(/\./g, '\\.')}: SLW_USAGE .*${message}`));
  });
});
