import net from 'node:net';

/**
 * Why an IP address may not be reached from a demo, or undefined when it is
 * a public address. Covers loopback, private, link-local (including cloud
 * metadata at 169.254.169.254), carrier-grade NAT, multicast, unspecified
 * and IPv4-mapped IPv6 forms of all of these.
 */
export function privateAddressReason(address: string): string | undefined {
  if (net.isIPv4(address)) {
    return ipv4Reason(address);
  }
  if (!net.isIPv6(address)) {
    return 'not an IP address';
  }
  const lower = address.toLocaleLowerCase('en-US');
  const mapped = lower.match(/^(?:0*:)*:?ffff:(\d+\.\d+\.\d+\.\d+)$/);
  if (mapped) {
    return ipv4Reason(mapped[1]);
  }
  if (lower === '::1') return 'loopback';
  if (lower === '::') return 'unspecified';
  const first = parseInt(lower.split(':')[0] || '0', 16);
  if ((first & 0xfe00) === 0xfc00) return 'private (unique local)';
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if ((first & 0xff00) === 0xff00) return 'multicast';
  return undefined;
}

function ipv4Reason(address: string): string | undefined {
  const [a, b] = address.split('.').map(Number);
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168))
    return 'private';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 100 && b >= 64 && b <= 127) return 'shared (carrier-grade NAT)';
  if (a === 0) return 'unspecified';
  if (a >= 224) return 'multicast or reserved';
  return undefined;
}

/** `host` or `host:port`, lower case, as allow lists are written. */
export function hostKey(url: URL): { host: string; hostWithPort: string } {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLocaleLowerCase('en-US');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return { host, hostWithPort: `${host}:${port}` };
}

/**
 * Whether a URL's host matches an allow-list entry: `host`, `host:port` or
 * `*.domain` (subdomains only).
 */
export function matchesHost(url: URL, entries: string[]): boolean {
  const { host, hostWithPort } = hostKey(url);
  return entries.some(raw => {
    const entry = raw.toLocaleLowerCase('en-US');
    if (entry.startsWith('*.')) {
      return host.endsWith(entry.slice(1));
    }
    return entry === host || entry === hostWithPort;
  });
}
