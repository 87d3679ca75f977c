import { describe, expect, it } from 'vitest';
import { interpolateSecrets, interpolateServiceUrls, serviceReferences, secretReferences } from './interpolate.js';

describe('serviceReferences', () => {
  it.each([
    ['${{ services.api.url }}', ['api']],
    ['${{services.api.url}}', ['api']],
    ['${{   services.auth-v2.url   }}', ['auth-v2']],
    ['${{ services.api.url }}/v1?cb=${{ services.web.url }}', ['api', 'web']],
    ['${{ services.api.url }} ${{ services.api.url }}', ['api', 'api']],
    ['plain value', []],
    ['', []],
    // Only the url of a lowercase service name is a reference.
    ['${{ services.api.port }}', []],
    ['${{ services.API.url }}', []],
    ['${{ services.1api.url }}', []],
    ['${{ secrets.token }}', []],
    ['$services.api.url', []],
  ])('%j → %j', (value, expected) => {
    expect(serviceReferences(value)).toEqual(expected);
  });

  it('gives the same answer when called twice (no state kept in the global pattern)', () => {
    const value = 'x ${{ services.api.url }}';
    expect(serviceReferences(value)).toEqual(['api']);
    expect(serviceReferences(value)).toEqual(['api']);
  });
});

describe('interpolateServiceUrls', () => {
  const urls = { api: 'http://127.0.0.1:4001', web: 'http://127.0.0.1:4002' };

  it.each([
    ['${{ services.api.url }}', 'http://127.0.0.1:4001'],
    ['${{services.api.url}}/v1', 'http://127.0.0.1:4001/v1'],
    ['api=${{ services.api.url }},web=${{ services.web.url }}', 'api=http://127.0.0.1:4001,web=http://127.0.0.1:4002'],
    ['${{ services.api.url }}|${{ services.api.url }}', 'http://127.0.0.1:4001|http://127.0.0.1:4001'],
    // An unknown service is left as it is, so that the mistake stays visible.
    ['${{ services.db.url }}', '${{ services.db.url }}'],
    ['no references', 'no references'],
    ['${{ services.api.port }}', '${{ services.api.port }}'],
  ])('%j → %j', (value, expected) => {
    expect(interpolateServiceUrls(value, urls)).toBe(expected);
  });

  it('does not treat `$` patterns in a URL as replacement syntax', () => {
    expect(interpolateServiceUrls('${{ services.api.url }}', { api: "http://h/$&$1$'" })).toBe("http://h/$&$1$'");
  });
});

describe('interpolateSecrets', () => {
  it('finds and replaces ${{ secrets.NAME }} case-insensitively, leaving unknown names and other references alone', () => {
    const value = 'postgres://app:${{ secrets.db_password }}@${{ services.db.url }}/${{ secrets.MISSING }}';
    expect(secretReferences(value)).toEqual(['DB_PASSWORD', 'MISSING']);
    expect(interpolateSecrets(value, { DB_PASSWORD: 'p$&ss' })).toBe('postgres://app:p$&ss@${{ services.db.url }}/${{ secrets.MISSING }}');
    expect(secretReferences('${{ secrets.1BAD }}')).toEqual([]);
  });
});
