import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { LookupFunction } from 'node:net';
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { DATAFLEX_ANNOTATIONS } from '@dataflex/backstage-plugin-dataflex-common';
import {
  DemoRow,
  DemoRunner,
  DemoRunRequest,
  DemoRunResult,
} from '@dataflex/backstage-plugin-dataflex-node';
import { matchesHost, privateAddressReason } from './addressPolicy';

const MAX_REDIRECTS = 3;

export interface HttpDemoRunnerOptions {
  /** Hosts demos may call: `host`, `host:port` or `*.domain`. */
  allowedHosts: string[];
  /** Of those, hosts that may resolve to private or loopback addresses. */
  allowPrivateAddressesFor: string[];
  /** Resolves host names; replaceable so tests can point a name anywhere. */
  resolve?: (hostname: string) => Promise<string[]>;
}

/**
 * Calls a service's own demo endpoint: POSTs `{ rows }` as JSON and expects
 * `{ rows }` (or a bare array) of flat JSON objects back.
 *
 * It only talks to allowed hosts, checks every address a name resolves to,
 * connects to exactly the address it checked (so DNS cannot change its mind
 * in between), and re-checks each redirect. Errors become one-line messages
 * for the user; nothing of the service's stack traces is passed on.
 */
export class HttpDemoRunner implements DemoRunner {
  readonly type = 'http';

  static create(options: HttpDemoRunnerOptions): HttpDemoRunner {
    return new HttpDemoRunner(options);
  }

  private readonly resolve: (hostname: string) => Promise<string[]>;

  private constructor(private readonly options: HttpDemoRunnerOptions) {
    this.resolve =
      options.resolve ??
      (async hostname =>
        (await dns.lookup(hostname, { all: true })).map(a => a.address));
  }

  supports(service: Entity): boolean {
    return Boolean(
      service.metadata.annotations?.[DATAFLEX_ANNOTATIONS.demoEndpoint],
    );
  }

  async run(request: DemoRunRequest): Promise<DemoRunResult> {
    const endpoint =
      request.service.metadata.annotations?.[DATAFLEX_ANNOTATIONS.demoEndpoint];
    let url = parseUrl(endpoint ?? '');
    const body = JSON.stringify({ rows: request.input });

    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const address = await this.vet(url);
      const response = await send(url, address, body, request);
      if (
        response.status >= 300 &&
        response.status < 400 &&
        response.location
      ) {
        url = parseUrl(new URL(response.location, url).toString());
        continue;
      }
      if (response.status < 200 || response.status >= 300) {
        throw new InputError(
          `The demo service answered ${response.status}${describeError(
            response.text,
          )}`,
        );
      }
      return toResult(response.text, request.limits.maxRows);
    }
    throw new InputError(
      `The demo service redirected more than ${MAX_REDIRECTS} times`,
    );
  }

  /** Returns the one address to connect to, or throws why the URL is refused. */
  private async vet(url: URL): Promise<string> {
    if (!matchesHost(url, this.options.allowedHosts)) {
      throw new InputError(
        `Demo endpoint host ${url.host} is not allowed (dataflex.demos.allowedHosts)`,
      );
    }
    let addresses: string[];
    try {
      addresses = await this.resolve(url.hostname.replace(/^\[|\]$/g, ''));
    } catch {
      throw new InputError(
        `Demo endpoint host ${url.hostname} could not be resolved`,
      );
    }
    if (addresses.length === 0) {
      throw new InputError(
        `Demo endpoint host ${url.hostname} could not be resolved`,
      );
    }
    if (!matchesHost(url, this.options.allowPrivateAddressesFor)) {
      for (const address of addresses) {
        const reason = privateAddressReason(address);
        if (reason) {
          throw new InputError(
            `Demo endpoint host ${url.hostname} resolves to a ${reason} address, which demos may not reach`,
          );
        }
      }
    }
    return addresses[0];
  }
}

function parseUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`Demo endpoint '${value}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(
      `Demo endpoint must be http or https, not ${url.protocol}`,
    );
  }
  if (url.username || url.password) {
    throw new InputError('Demo endpoint URLs may not carry credentials');
  }
  return url;
}

interface RawResponse {
  status: number;
  location?: string;
  text: string;
}

function send(
  url: URL,
  address: string,
  body: string,
  request: DemoRunRequest,
): Promise<RawResponse> {
  const { timeoutMs, maxResponseBytes } = request.limits;
  const pinned: LookupFunction = (_hostname, options, callback) => {
    const family = address.includes(':') ? 6 : 4;
    if ((options as { all?: boolean }).all) {
      (callback as any)(null, [{ address, family }]);
    } else {
      callback(null, address, family);
    }
  };
  const client = url.protocol === 'https:' ? https : http;

  if (request.signal.aborted) {
    return Promise.reject(new InputError('The demo run was cancelled'));
  }
  return new Promise((resolve, reject) => {
    // Filled in once the request exists; cleared whichever way it ends.
    const pending: {
      timer?: NodeJS.Timeout;
      onAbort?: () => void;
      settled: boolean;
    } = {
      settled: false,
    };
    const done = () => {
      pending.settled = true;
      clearTimeout(pending.timer);
      if (pending.onAbort)
        request.signal.removeEventListener('abort', pending.onAbort);
    };

    const req = client.request(
      url,
      {
        method: 'POST',
        lookup: pinned,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxResponseBytes) {
            if (!pending.settled) {
              done();
              reject(
                new InputError(
                  `The demo service's answer is larger than ${maxResponseBytes} bytes`,
                ),
              );
            }
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          if (pending.settled) return;
          done();
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    pending.timer = setTimeout(() => {
      req.destroy(
        new InputError(
          `The demo service did not answer within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    pending.onAbort = () =>
      req.destroy(new InputError('The demo run was cancelled'));
    request.signal.addEventListener('abort', pending.onAbort, { once: true });
    req.on('error', error => {
      if (pending.settled) return;
      done();
      reject(
        error instanceof InputError
          ? error
          : new InputError(
              `The demo service could not be reached (${
                (error as NodeJS.ErrnoException).code ?? 'connection failed'
              })`,
            ),
      );
    });
    req.end(body);
  });
}

function describeError(text: string): string {
  try {
    const json = JSON.parse(text);
    const message = json?.error?.message ?? json?.message ?? json?.error;
    if (typeof message === 'string' && message.trim()) {
      return `: ${oneLine(message)}`;
    }
  } catch {
    // Not JSON: say nothing of the body, which may be an HTML error page or a stack trace.
  }
  return '';
}

function oneLine(text: string): string {
  const line = text.split('\n')[0].trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function toResult(text: string, maxRows: number): DemoRunResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError('The demo service did not answer with JSON');
  }
  const rows = Array.isArray(json) ? json : (json as { rows?: unknown })?.rows;
  if (!Array.isArray(rows)) {
    throw new InputError(
      'The demo service must answer with { "rows": [...] } or an array of rows',
    );
  }
  rows.forEach((row, index) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new InputError(
        `Row ${index + 1} of the demo output is not a JSON object`,
      );
    }
    for (const [column, value] of Object.entries(row)) {
      if (
        value !== null &&
        !['string', 'number', 'boolean'].includes(typeof value)
      ) {
        throw new InputError(
          `Row ${
            index + 1
          }, column '${column}' of the demo output is not a plain value`,
        );
      }
    }
  });
  return {
    rows: rows.slice(0, maxRows) as DemoRow[],
    truncated: rows.length > maxRows,
  };
}
