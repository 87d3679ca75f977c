import { describe, expect, it } from 'vitest';
import { createCommandProcessor, type ProcessedLine } from './command-processor.js';

/** A compact view of a processed line for tables. */
function view(p: ProcessedLine): string {
  switch (p.kind) {
    case 'output':
      return `out ${p.text}`;
    case 'command':
      return `cmd ${p.command.command}${p.echo ? ' +echo' : ''} ${p.command.message}`;
    case 'stop-commands':
      return `stop ${p.token}`;
    case 'resume-commands':
      return 'resume';
    case 'invalid':
      return `invalid ${p.level} ${p.command.command}`;
  }
}

describe('createCommandProcessor', () => {
  it.each([
    ['plain lines and unknown commands stay output', ['hello', '::set-output name=a::b', '::whatever::x'], ['out hello', 'out ::set-output name=a::b', 'out ::whatever::x']],
    ['acted-on commands', ['::error::e', '::warning::w', '::notice::n', '::debug::d', '::group::g', '::endgroup::'], ['cmd error e', 'cmd warning w', 'cmd notice n', 'cmd debug d', 'cmd group g', 'cmd endgroup ']],
    ['add-mask', ['::add-mask::s3cret', '::add-mask::  '], ['cmd add-mask s3cret', 'invalid warning add-mask']],
    [
      'stop and resume',
      ['::stop-commands::tok123', '::error::not a command now', '::add-mask::not now', '::TOK123::', '::error::again'],
      ['stop tok123', 'out ::error::not a command now', 'out ::add-mask::not now', 'resume', 'cmd error again'],
    ],
    ['a resume line needs the exact token', ['::stop-commands::abc', '::ab::', '::abcd::', 'abc', '::abc::'], ['stop abc', 'out ::ab::', 'out ::abcd::', 'out abc', 'resume']],
    ['tokens that would be refused', ['::stop-commands::', '::stop-commands::error', '::stop-commands::Set-Output', '::stop-commands::pause-logging', '::error::still on'], ['invalid error stop-commands', 'invalid error stop-commands', 'invalid error stop-commands', 'invalid error stop-commands', 'cmd error still on']],
    [
      'echo on shows command lines, never add-mask',
      ['::echo::on', '::error::e', '::add-mask::x', '::echo::OFF', '::error::f', '::echo::maybe'],
      ['cmd echo on', 'cmd error +echo e', 'cmd add-mask x', 'cmd echo +echo OFF', 'cmd error f', 'invalid error echo'],
    ],
  ])('%s', (_name, lines, expected) => {
    const processor = createCommandProcessor();
    expect(lines.map((line) => view(processor.process(line)))).toEqual(expected);
  });

  it('exposes its state', () => {
    const processor = createCommandProcessor({ echo: true });
    expect(processor.echo).toBe(true);
    processor.process('::stop-commands::t0ken');
    expect(processor.stopToken).toBe('t0ken');
    processor.process('::t0ken::');
    expect(processor.stopToken).toBeUndefined();
  });
});
