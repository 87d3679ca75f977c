import { describe, expect, it } from 'vitest';
import { parseAnsi, stripAnsi, type AnsiSegment } from './ansi.js';

const E = '\u001b';
const plain = (text: string): AnsiSegment => ({ text, color: null, bold: false });

describe('parseAnsi', () => {
  const cases: [string, string, AnsiSegment[]][] = [
    ['plain text', 'hello', [plain('hello')]],
    ['empty line', '', []],
    ['a colour and its reset', `${E}[32mgreen${E}[0m done`, [{ text: 'green', color: 'green', bold: false }, plain(' done')]],
    ['ESC[m resets like ESC[0m', `${E}[31mred${E}[m plain`, [{ text: 'red', color: 'red', bold: false }, plain(' plain')]],
    ['every standard colour', `${E}[30ma${E}[37mb`, [{ text: 'a', color: 'black', bold: false }, { text: 'b', color: 'white', bold: false }]],
    ['bright colours 90–97', `${E}[91mx${E}[97my`, [{ text: 'x', color: 'bright-red', bold: false }, { text: 'y', color: 'bright-white', bold: false }]],
    ['bold with a colour in one sequence', `${E}[1;34mbold blue`, [{ text: 'bold blue', color: 'blue', bold: true }]],
    ['22 ends bold and keeps the colour', `${E}[1;33ma${E}[22mb`, [{ text: 'a', color: 'yellow', bold: true }, { text: 'b', color: 'yellow', bold: false }]],
    ['39 ends the colour and keeps bold', `${E}[1;35ma${E}[39mb`, [{ text: 'a', color: 'magenta', bold: true }, { text: 'b', color: null, bold: true }]],
    ['a reset in the middle of parameters', `${E}[1;31;0;36mx`, [{ text: 'x', color: 'cyan', bold: false }]],
    ['unsupported SGR codes change nothing', `${E}[4;42mx`, [plain('x')]],
    ['256 colours are skipped with their arguments', `${E}[38;5;31mx`, [plain('x')]],
    ['true colour is skipped with its arguments', `${E}[38;2;1;32;33;1mx`, [{ text: 'x', color: null, bold: true }]],
    ['colon sub-parameters are skipped', `${E}[38:5:1;32mx`, [{ text: 'x', color: 'green', bold: false }]],
    ['equal styles merge across a redundant code', `${E}[32ma${E}[32mb`, [{ text: 'ab', color: 'green', bold: false }]],
    ['cursor and erase sequences are stripped', `${E}[2K${E}[1Gprogress${E}[?25l`, [plain('progress')]],
    ['OSC titles and hyperlinks are stripped', `${E}]0;title\u0007a ${E}]8;;http://x${E}\\link${E}]8;;${E}\\`, [plain('a link')]],
    ['charset and two-byte escapes are stripped', `${E}(Ba${E}7b${E}c`, [plain('ab')]],
    ['a truncated sequence at the end is dropped', `text${E}[`, [plain('text')]],
    ['a lone ESC is dropped', `a${E}`, [plain('a')]],
    ['markup stays text', `${E}[31m<b>&amp;</b>`, [{ text: '<b>&amp;</b>', color: 'red', bold: false }]],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(parseAnsi(input)).toEqual(expected);
  });

  it('continues from a given style', () => {
    expect(parseAnsi(`still${E}[0m plain`, { color: 'red', bold: true })).toEqual([{ text: 'still', color: 'red', bold: true }, plain(' plain')]);
  });
});

describe('stripAnsi', () => {
  it('removes every escape sequence and keeps the text', () => {
    expect(stripAnsi(`${E}[1;32mok${E}[0m ${E}]0;t\u0007${E}[2Kdone`)).toBe('ok done');
  });
});
