import { describe, expect, it } from 'vitest';
import { memoryQuantity, parseContainerOptions, seconds } from './container-options.js';

describe('parseContainerOptions', () => {
  it.each([
    ['', { env: [] }],
    ['-e A=1 --env=B=two words', null],
    ['--cpus 1.5 --memory 512m', { env: [], cpu: '1.5', memory: '512Mi' }],
    ['-m 2g --user 1000:1000 -w /src', { env: [], memory: '2Gi', runAsUser: 1000, runAsGroup: 1000, workdir: '/src' }],
    ['--entrypoint redis-server', { env: [], entrypoint: 'redis-server' }],
    [
      '--health-cmd "pg_isready -U postgres" --health-interval 10s --health-timeout 5s --health-retries 5 --health-start-period 1m',
      { env: [], health: { command: 'pg_isready -U postgres', periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 5, initialDelaySeconds: 60 } },
    ],
    ['--health-cmd true --no-healthcheck', { env: [] }],
  ])('reads %j', (options, expected) => {
    if (expected === null) return expect(() => parseContainerOptions(options, 'container.options')).toThrow(/needs a value|support/);
    expect(parseContainerOptions(options, 'container.options')).toEqual(expected);
  });

  it('reads env flags', () => {
    expect(parseContainerOptions("-e A=1 --env=B='two words' -e C=", 'x').env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: 'two words' },
      { name: 'C', value: '' },
    ]);
  });

  it.each([
    ['--privileged', /does not support the option "--privileged"/],
    ['--network host', /does not support the option "--network"/],
    ['--user postgres', /numeric uid/],
    ['--cpus lots', /not a number of CPUs/],
    ['--memory 1.5g', /not an amount of memory/],
    ['-e NAME', /give the variable a value/],
    ['--health-interval soon', /not a duration/],
    ['--entrypoint', /needs a value/],
  ])('refuses %j, naming the key path', (options, message) => {
    expect(() => parseContainerOptions(options, 'services.db.options')).toThrow(message);
    expect(() => parseContainerOptions(options, 'services.db.options')).toThrow(/^services\.db\.options: /);
  });
});

describe('memoryQuantity and seconds', () => {
  it.each([
    ['512m', '512Mi'],
    ['2G', '2Gi'],
    ['1024k', '1024Ki'],
    ['1048576', '1048576'],
    ['100b', '100'],
  ])('memory %j is %j', (docker, kube) => {
    expect(memoryQuantity(docker, 'x')).toBe(kube);
  });

  it.each([
    ['10s', 10],
    ['1m30s', 90],
    ['500ms', 1],
    ['1h', 3600],
  ])('duration %j is %i s', (text, s) => {
    expect(seconds(text, 'x')).toBe(s);
  });
});
