import { describe, expect, it } from 'vitest';
import { parseEnvFile, parsePathFile } from './env-file.js';

describe('parseEnvFile', () => {
  it.each([
    ['empty', '', {}, []],
    ['name=value lines', 'A=1\nB=two words\n', { A: '1', B: 'two words' }, []],
    ['the first = splits', 'A=b=c\nEMPTY=\n', { A: 'b=c', EMPTY: '' }, []],
    ['empty lines are skipped; later names win', '\nA=1\n\nA=2\n', { A: '2' }, []],
    ['CRLF', 'A=1\r\nB=2\r\n', { A: '1', B: '2' }, []],
    ['no final newline', 'A=1', { A: '1' }, []],
    ['heredoc', 'TEXT<<EOF\nline 1\n\nline 3\nEOF\nB=2\n', { TEXT: 'line 1\n\nline 3', B: '2' }, []],
    ['empty heredoc', 'E<<EOF\nEOF\n', { E: '' }, []],
    ['heredoc at the end of the file without a newline', 'T<<X\na\nX', { T: 'a' }, []],
    ['heredoc with CRLF', 'T<<EOF\r\na\r\nb\r\nEOF\r\n', { T: 'a\r\nb' }, []],
    ['the delimiter must be the whole line', 'T<<EOF\n EOF\nEOF \nEOF\n', { T: ' EOF\nEOF ' }, []],
    ['= before << is a plain value', 'A=x<<y\n', { A: 'x<<y' }, []],
    ['<< before = is a heredoc', 'A<<=\nv\n=\n', { A: 'v' }, []],
    ['a heredoc value may hold = and <<', 'J<<END\n{"a": "b=c<<d"}\nEND\n', { J: '{"a": "b=c<<d"}' }, []],
    ['unterminated heredoc', 'A=1\nT<<EOF\nnever closed\nB=2\n', { A: '1' }, ["line 2: the value of T has no closing 'EOF' line"]],
    ['bad lines', '=1\nnothing\n<<EOF\nA<<\nB=ok\n', { B: 'ok' }, [
      "line 1: the name before '=' is empty",
      'line 2: expected NAME=value or NAME<<DELIMITER',
      'line 3: NAME<<DELIMITER needs both a name and a delimiter',
      'line 4: NAME<<DELIMITER needs both a name and a delimiter',
    ]],
  ])('%s', (_name, text, values, errors) => {
    expect(parseEnvFile(text)).toEqual({ values, errors });
  });

  it('keeps a __proto__ name an ordinary key', () => {
    const { values } = parseEnvFile('__proto__=x\n');
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    expect(Object.keys(values)).toEqual(['__proto__']);
  });

  it('does not quote values in errors', () => {
    expect(parseEnvFile('s3cret-value-without-equals\n').errors.join()).not.toContain('s3cret');
  });
});

describe('parsePathFile', () => {
  it.each([
    ['', []],
    ['/opt/tool/bin\n', ['/opt/tool/bin']],
    ['/a\r\n\r\n/b\n  \n/c', ['/a', '/b', '/c']],
  ])('%j', (text, expected) => {
    expect(parsePathFile(text)).toEqual(expected);
  });
});
