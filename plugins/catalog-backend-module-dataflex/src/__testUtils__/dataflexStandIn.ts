import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  DiscoveryService,
  LifecycleService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';

/** A request a {@link DataflexStandIn} received. */
export interface StandInRequest {
  /** Path and query, as sent. */
  url: string;
  /** The query, parsed. */
  query: URLSearchParams;
  authorization?: string;
}

/**
 * A stand-in for one of the DataFlex backend's service-only catalog
 * endpoints, over real HTTP so the readers' requests, tokens and error
 * handling are exercised: answers `respond(query)` as JSON while `status` is
 * 200, an error body otherwise, and records every request.
 */
export class DataflexStandIn {
  status = 200;
  requests: StandInRequest[] = [];
  readonly discovery: DiscoveryService;

  static async start(
    respond: (query: URLSearchParams) => unknown,
  ): Promise<DataflexStandIn> {
    const standIn = new DataflexStandIn(respond);
    await new Promise<void>(resolve =>
      standIn.server.listen(0, '127.0.0.1', resolve),
    );
    return standIn;
  }

  private readonly server: http.Server;

  private constructor(respond: (query: URLSearchParams) => unknown) {
    this.server = http.createServer((req, res) => {
      const url = req.url ?? '';
      const query = new URL(url, 'http://stand-in').searchParams;
      this.requests.push({
        url,
        query,
        authorization: req.headers.authorization,
      });
      res.writeHead(this.status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          this.status === 200
            ? respond(query)
            : { error: { name: 'Error', message: 'down' } },
        ),
      );
    });
    const baseUrl = async () => {
      const { port } = this.server.address() as AddressInfo;
      return `http://127.0.0.1:${port}/api/dataflex`;
    };
    this.discovery = { getBaseUrl: baseUrl, getExternalBaseUrl: baseUrl };
  }

  /** Forgets the requests and answers successfully again. */
  reset(): void {
    this.requests = [];
    this.status = 200;
  }

  async stop(): Promise<void> {
    await new Promise(resolve => this.server.close(resolve));
  }
}

/** A logger that collects warnings and errors into `warnings`. */
export function recordingLogger(warnings: string[]): LoggerService {
  const logger: LoggerService = {
    child: () => logger,
    debug: () => {},
    info: () => {},
    warn: message => {
      warnings.push(message);
    },
    error: message => {
      warnings.push(message);
    },
  };
  return logger;
}

/**
 * A lifecycle whose shutdown hooks `shutDown()` runs, so the directories'
 * retry timers stop between tests.
 */
export function stoppableLifecycle(): {
  lifecycle: LifecycleService;
  shutDown(): void;
} {
  const hooks: Array<() => void> = [];
  const lifecycle = mockServices.lifecycle.mock({
    addShutdownHook: hook => {
      hooks.push(hook as () => void);
    },
  });
  return {
    lifecycle,
    shutDown: () => {
      for (const hook of hooks.splice(0)) {
        hook();
      }
    },
  };
}
