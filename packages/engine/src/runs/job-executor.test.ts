import { describe, expect, it } from 'vitest';
import type { Executor } from '@slipway/core';
import { executorForJob, runsOnLabels } from './job-executor.js';

const executor = (name: string): Executor => ({ name, prepareJob: () => Promise.reject(new Error(name)) });
const all = { executor: executor('host'), dockerExecutor: executor('docker'), kubernetesExecutor: executor('kubernetes') };

describe('executorForJob', () => {
  it.each([
    [{}, 'host'],
    [{ runsOn: 'ubuntu-latest' }, 'host'],
    [{ container: { image: 'node:20' } }, 'docker'],
    [{ services: { db: { image: 'postgres' } } }, 'docker'],
    [{ services: {} }, 'host'],
    [{ runsOn: 'kubernetes' }, 'kubernetes'],
    [{ runsOn: ['self-hosted', 'kubernetes'], container: { image: 'node:20' } }, 'kubernetes'],
    [{ runsOn: { group: 'ci', labels: ['kubernetes'] }, services: { db: { image: 'postgres' } } }, 'kubernetes'],
  ])('runs %j on %s', (job, name) => {
    expect(executorForJob(all, job).name).toBe(name);
  });

  it('fails a job that asks for Kubernetes on a server without it, with a clear error', async () => {
    const picked = executorForJob({ executor: executor('host') }, { runsOn: 'kubernetes' });
    await expect(picked.prepareJob({ id: 'j', workspace: '/w', temp: '/t' }, new AbortController().signal)).rejects.toThrow(/runs-on: kubernetes, but this server has no Kubernetes executor/);
  });

  it('keeps the host for a container job when there is no Docker executor (it fails there with its own error)', () => {
    expect(executorForJob({ executor: executor('host') }, { container: { image: 'x' } }).name).toBe('host');
  });
});

describe('runsOnLabels', () => {
  it.each([
    ['kubernetes', ['kubernetes']],
    [['a', 'b'], ['a', 'b']],
    [{ labels: ['a'] }, ['a']],
    [{ labels: 'a' }, ['a']],
    [{ group: 'g' }, []],
    [null, []],
    [undefined, []],
  ])('%j has labels %j', (runsOn, labels) => {
    expect(runsOnLabels(runsOn)).toEqual(labels);
  });
});
