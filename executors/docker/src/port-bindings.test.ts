import { describe, expect, it } from 'vitest';
import { portBindings, publishedPorts } from './port-bindings.js';

describe('portBindings', () => {
  it.each([
    ['8080', '8080/tcp', { HostIp: '127.0.0.1', HostPort: '' }],
    [5432, '5432/tcp', { HostIp: '127.0.0.1', HostPort: '' }],
    ['15432:5432', '5432/tcp', { HostIp: '127.0.0.1', HostPort: '15432' }],
    ['0.0.0.0:80:8080', '8080/tcp', { HostIp: '0.0.0.0', HostPort: '80' }],
    ['[::1]:80:8080', '8080/tcp', { HostIp: '::1', HostPort: '80' }],
    ['53/udp', '53/udp', { HostIp: '127.0.0.1', HostPort: '' }],
  ])('%j', (entry, key, binding) => {
    expect(portBindings([entry], 'services.db.ports')).toEqual({ ExposedPorts: { [key]: {} }, PortBindings: { [key]: [binding] } });
  });

  it.each(['http', '80-90', '1:2:3:4'])('refuses %j', (entry) => {
    expect(() => portBindings([entry], 'services.db.ports')).toThrow(/services\.db\.ports: .* is not a port/);
  });
});

describe('publishedPorts', () => {
  it('keys TCP ports by number and keeps other protocols', () => {
    expect(
      publishedPorts({
        '5432/tcp': [{ HostIp: '127.0.0.1', HostPort: '49153' }],
        '53/udp': [{ HostIp: '127.0.0.1', HostPort: '49154' }],
        '9000/tcp': null,
      }),
    ).toEqual({ '5432': '49153', '53/udp': '49154' });
  });
});
