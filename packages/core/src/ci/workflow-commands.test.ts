import { describe, expect, it } from 'vitest';
import { parseWorkflowCommand } from './workflow-commands.js';

describe('parseWorkflowCommand', () => {
  it.each([
    ['::error::Something failed', { command: 'error', properties: {}, message: 'Something failed' }],
    ['::warning file=app.js,line=1,col=5,endColumn=7,title=Hey::Missing semicolon', {
      command: 'warning',
      properties: { file: 'app.js', line: '1', col: '5', endColumn: '7', title: 'Hey' },
      message: 'Missing semicolon',
    }],
    ['   ::notice::leading spaces are allowed', { command: 'notice', properties: {}, message: 'leading spaces are allowed' }],
    ['::ERROR File=a.ts,ENDLINE=3::names and annotation keys in any case', {
      command: 'error',
      properties: { file: 'a.ts', endLine: '3' },
      message: 'names and annotation keys in any case',
    }],
    ['::group::My title', { command: 'group', properties: {}, message: 'My title' }],
    ['::endgroup::', { command: 'endgroup', properties: {}, message: '' }],
    ['::add-mask::a%25b%0D%0Ac', { command: 'add-mask', properties: {}, message: 'a%b\r\nc' }],
    ['::debug::%250A stays %0A once; %0a and %3A are not data escapes', { command: 'debug', properties: {}, message: '%0A stays \n once; %0a and %3A are not data escapes' }],
    ['::error title=a%3Ab%2Cc%25d%0A::x', { command: 'error', properties: { title: 'a:b,c%d\n' }, message: 'x' }],
    ['::error title=a=b,=novalue,nokey=,plain,  file=x::m', { command: 'error', properties: { title: 'a=b', '  file': 'x' }, message: 'm' }],
    ['::set-output name=x::value', { command: 'set-output', properties: { name: 'x' }, message: 'value' }],
    ['::my-token::', { command: 'my-token', properties: {}, message: '' }],
    ['::error::a::b', { command: 'error', properties: {}, message: 'a::b' }],
  ])('%j', (line, expected) => {
    expect(parseWorkflowCommand(line)).toEqual(expected);
  });

  it.each([['plain output'], [':: no name'], ['::error'], ['echo ::error::not at the start'], ['::::'], ['']])('%j is no command', (line) => {
    expect(parseWorkflowCommand(line)).toBeUndefined();
  });

  it('keeps a __proto__ property an ordinary key', () => {
    const command = parseWorkflowCommand('::error __proto__=x::m')!;
    expect(Object.getPrototypeOf(command.properties)).toBe(Object.prototype);
    expect(command.properties['__proto__']).toBe('x');
  });
});
