import { describe, expect, it } from 'vitest';
import { containerConfig } from './container-config.js';

describe('containerConfig', () => {
  it.each([
    ['no override', {}, undefined, undefined],
    ['entrypoint and command keys', { entrypoint: 'node', command: `-e "console.log('a b')"` }, ['node'], ['-e', "console.log('a b')"]],
    ['--entrypoint in options', { options: '--entrypoint sh' }, ['sh'], undefined],
    ['the entrypoint key over --entrypoint', { entrypoint: 'node', options: '--entrypoint sh' }, ['node'], undefined],
  ])('%s', (_, extra, entrypoint, cmd) => {
    const config = containerConfig('job1', 'net1', { image: 'slipway/node:20', ...extra }, 'services.web');
    expect(config.Entrypoint).toEqual(entrypoint);
    expect(config.Cmd).toEqual(cmd);
  });
});
