import { isIP } from 'node:net';
import { InputError } from '@backstage/errors';
import { Request } from 'express';

/** Credentials of an `Authorization: Basic …` header, if the request has one. */
export function readBasicCredentials(
  req: Request,
): { username: string; password: string } | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Basic[ ]+([A-Za-z0-9+/=]+)$/i.exec(header) : null;
  if (!match) {
    return undefined;
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) {
    return undefined;
  }
  return {
    username: decoded.slice(0, separator),
    password: decoded.slice(separator + 1),
  };
}

export function hasBasicAuthorization(req: Request): boolean {
  return /^Basic\b/i.test(req.headers.authorization ?? '');
}

/** The value of one cookie of the request. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) {
      try {
        return decodeURIComponent(part.slice(separator + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Requests that act on the session cookie must come from script (a custom
 * header forces a CORS preflight), so another site can neither sign a visitor
 * in to an account of its choosing nor use their session.
 */
export function requireScriptRequest(req: Request): void {
  if (req.header('x-requested-with') !== 'XMLHttpRequest') {
    throw new InputError(
      'This request must carry the header X-Requested-With: XMLHttpRequest',
    );
  }
}

/**
 * The address failed sign-ins are counted against. It honours
 * `backend.trustProxy` through `req.ip`. An IPv6 client usually controls a
 * whole /64, so IPv6 addresses count by their /64 prefix.
 */
export function clientAddress(req: Request): string {
  const raw = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(raw);
  if (mapped) {
    return mapped[1];
  }
  if (isIP(raw) !== 6) {
    return raw;
  }
  return `${expandIPv6(raw).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  const [head, tail] = address.split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const zeros = Array(8 - left.length - right.length).fill('0');
  return [...left, ...(tail === undefined ? [] : zeros), ...right].map(group =>
    parseInt(group, 16).toString(16),
  );
}
