import { Request } from 'express';
import {
  clientAddress,
  readBasicCredentials,
  readCookie,
} from './requestHelpers';

const req = (props: {
  ip?: string;
  headers?: Record<string, string>;
}): Request =>
  ({ ip: props.ip, headers: props.headers ?? {}, socket: {} } as Request);

describe('request helpers', () => {
  it('counts IPv4 addresses as they are, IPv6 ones by their /64', () => {
    expect(clientAddress(req({ ip: '203.0.113.9' }))).toBe('203.0.113.9');
    expect(clientAddress(req({ ip: '::ffff:203.0.113.9' }))).toBe(
      '203.0.113.9',
    );
    expect(clientAddress(req({ ip: '2001:db8:1:2:aaaa::1' }))).toBe(
      '2001:db8:1:2::/64',
    );
    expect(clientAddress(req({ ip: '2001:db8:1:2:ffff:ffff:ffff:ffff' }))).toBe(
      '2001:db8:1:2::/64',
    );
    expect(clientAddress(req({ ip: '2001:db8::5' }))).toBe('2001:db8:0:0::/64');
    expect(clientAddress(req({ ip: '::1' }))).toBe('0:0:0:0::/64');
  });

  it('reads HTTP Basic credentials, with colons allowed in the password', () => {
    const header = (value: string) =>
      req({ headers: { authorization: `Basic ${value}` } });
    expect(
      readBasicCredentials(
        header(Buffer.from('anil:pa:ss').toString('base64')),
      ),
    ).toEqual({ username: 'anil', password: 'pa:ss' });
    expect(
      readBasicCredentials(header(Buffer.from('nocolon').toString('base64'))),
    ).toBeUndefined();
    expect(
      readBasicCredentials(req({ headers: { authorization: 'Bearer abc' } })),
    ).toBeUndefined();
  });

  it('reads one cookie among several', () => {
    const request = req({
      headers: { cookie: 'a=1; dataflex-local-session=abc%2Bdef; b=2' },
    });
    expect(readCookie(request, 'dataflex-local-session')).toBe('abc+def');
    expect(readCookie(request, 'missing')).toBeUndefined();
    expect(
      readCookie(req({ headers: { cookie: 'x=%E0%A4%A' } }), 'x'),
    ).toBeUndefined();
  });
});
