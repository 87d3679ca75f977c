import { describe, expect, it } from 'vitest';
import { labelValue, podName, serviceContainerName } from './names.js';

const dns1123 = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

describe('podName', () => {
  it.each([
    ['run1-1-build', 'slipway-run1-1-build'],
    ['conformance-ab12cd-0', 'slipway-conformance-ab12cd-0'],
  ])('keeps a DNS-safe id %j as %j', (id, name) => {
    expect(podName(id)).toBe(name);
  });

  it.each([
    ['01HX9ZQ-1-Build_And.Test'],
    ['a'.repeat(100)],
    ['--weird__id..'],
    ['日本語'],
    [`${'x'.repeat(60)}-1-${'y'.repeat(40)}`],
  ])('makes a DNS-1123 label of at most 63 characters from %j', (id) => {
    const name = podName(id);
    expect(name).toMatch(dns1123);
    expect(name.length).toBeLessThanOrEqual(63);
  });

  it('never gives two ids that differ only in what was cleaned the same name', () => {
    expect(podName('Run-1-build')).not.toBe(podName('run-1-build'));
    expect(podName('run-1-a_b')).not.toBe(podName('run-1-a.b'));
    expect(podName(`${'a'.repeat(80)}-1`)).not.toBe(podName(`${'a'.repeat(80)}-2`));
  });
});

describe('labelValue', () => {
  it('keeps an id that is a valid label value', () => {
    expect(labelValue('01HX9ZQ-1-Build_And.Test')).toBe('01HX9ZQ-1-Build_And.Test');
  });

  it.each([['a'.repeat(100)], ['-x-'], ['a/b c']])('fits %j into a label value', (id) => {
    const value = labelValue(id);
    expect(value).toMatch(/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/);
    expect(value.length).toBeLessThanOrEqual(63);
  });
});

describe('serviceContainerName', () => {
  it.each([
    ['postgres', 'postgres'],
    ['job', 'job-service'],
  ])('names the container of service %j %j', (key, name) => {
    expect(serviceContainerName(key)).toBe(name);
  });

  it('makes a DNS-1123 label of any key', () => {
    expect(serviceContainerName('My_Redis')).toMatch(dns1123);
  });
});
