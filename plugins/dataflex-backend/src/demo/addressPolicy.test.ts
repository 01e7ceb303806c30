import { matchesHost, privateAddressReason } from './addressPolicy';

describe('privateAddressReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.1.2.3', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast or reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fd00::1', 'private (unique local)'],
    ['fe80::1', 'link-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
  ])('%s is %s', (address, reason) => {
    expect(privateAddressReason(address)).toBe(reason);
  });

  it.each(['8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700::1111'])(
    '%s is public',
    address => {
      expect(privateAddressReason(address)).toBeUndefined();
    },
  );
});

describe('matchesHost', () => {
  it('matches host, host:port and subdomain wildcards', () => {
    const url = new URL('https://demo.svc.example.com/run');
    expect(matchesHost(url, ['demo.svc.example.com'])).toBe(true);
    expect(matchesHost(url, ['demo.svc.example.com:443'])).toBe(true);
    expect(matchesHost(url, ['demo.svc.example.com:8443'])).toBe(false);
    expect(matchesHost(url, ['*.example.com'])).toBe(true);
    expect(matchesHost(new URL('https://example.com'), ['*.example.com'])).toBe(
      false,
    );
    expect(
      matchesHost(new URL('https://evilexample.com'), ['*.example.com']),
    ).toBe(false);
  });
});
