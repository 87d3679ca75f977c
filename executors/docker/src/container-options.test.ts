import { SlipwayError } from '@slipway/core';
import { describe, expect, it } from 'vitest';
import { splitWords } from '@slipway/core';
import { durationNs, parseContainerOptions } from './container-options.js';

describe('parseContainerOptions', () => {
  it.each([
    [undefined, { env: [] }],
    ['', { env: [] }],
    ['-e A=1 --env B="two words" --env=C=3', { env: ['A=1', 'B=two words', 'C=3'] }],
    [
      '--health-cmd "pg_isready -U postgres" --health-interval 10s --health-timeout 5s --health-retries 5 --health-start-period=1m30s',
      { env: [], healthcheck: { Test: ['CMD-SHELL', 'pg_isready -U postgres'], Interval: 10e9, Timeout: 5e9, Retries: 5, StartPeriod: 90e9 } },
    ],
    // Timings alone keep the image's own check (an empty Test).
    ['--health-interval 500ms', { env: [], healthcheck: { Test: [], Interval: 500e6 } }],
    ['--no-healthcheck', { env: [], healthcheck: { Test: ['NONE'] } }],
    ["--entrypoint /srv/start -u 1000:1000 -w '/app dir'", { env: [], entrypoint: ['/srv/start'], user: '1000:1000', workdir: '/app dir' }],
  ] as const)('%j', (options, expected) => {
    expect(parseContainerOptions(options, 'services.db.options')).toEqual(expected);
  });

  it.each([
    ['--privileged', /services\.db\.options: the Docker executor does not support the option "--privileged"/],
    ['--cpus=2', /does not support the option "--cpus"/],
    ['--health-cmd', /the option --health-cmd needs a value/],
    ['--health-interval soon', /"soon" is not a duration/],
    ['-e "A=1', /unterminated " quote/],
  ])('refuses %j', (options, message) => {
    const fail = () => parseContainerOptions(options, 'services.db.options');
    expect(fail).toThrow(SlipwayError);
    expect(fail).toThrow(message);
  });
});

describe('splitWords', () => {
  it.each([
    ['a  b\tc', ['a', 'b', 'c']],
    [`"x y" 'z "w"' a\\ b ""`, ['x y', 'z "w"', 'a b', '']],
    [`"say \\"hi\\""`, ['say "hi"']],
  ])('%j', (text, words) => {
    expect(splitWords(text, 'options')).toEqual(words);
  });
});

describe('durationNs', () => {
  it.each([
    ['1ns', 1],
    ['250ms', 250e6],
    ['1.5s', 1.5e9],
    ['2h3m', 2 * 3600e9 + 3 * 60e9],
  ])('%s', (text, ns) => {
    expect(durationNs(text, 'x')).toBe(ns);
  });
});
