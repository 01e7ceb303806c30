import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ComponentHealth,
  HealthResponse,
} from '@dataflex/backstage-plugin-dataflex-common';
import { DataflexApi } from './DataflexApi';

/** @public */
export interface DataflexClientOptions {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
}

interface RequestOptions<T> {
  /**
   * Accepts the body of a non-2xx response as a regular result, for endpoints
   * that report a failure state with a status code as well as in the body.
   */
  acceptErrorBody?: (status: number, body: unknown) => body is T;
}

/**
 * Default {@link DataflexApi} implementation, talking to the DataFlex backend
 * through the app's fetch API so that requests carry the user's token.
 *
 * @public
 */
export class DataflexClient implements DataflexApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: DataflexClientOptions) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getHealth(): Promise<HealthResponse> {
    return this.request<HealthResponse>('/health', {
      // A down dependency is answered with 503 and a full report, which is
      // what the caller wants to show; any other 503 is a real failure.
      acceptErrorBody: (status, body): body is HealthResponse =>
        status === 503 && isHealthResponse(body),
    });
  }

  private async request<T>(
    path: string,
    options?: RequestOptions<T>,
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('dataflex');
    const res = await this.fetchApi.fetch(`${baseUrl}${path}`);

    if (res.ok) {
      return (await res.json()) as T;
    }

    if (options?.acceptErrorBody) {
      // Read a copy so that the original body is still there for the error.
      const body = await res
        .clone()
        .json()
        .catch(() => undefined);
      if (options.acceptErrorBody(res.status, body)) {
        return body;
      }
    }

    throw await ResponseError.fromResponse(res);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isHealthStatus(value: unknown): value is HealthResponse['status'] {
  return value === 'ok' || value === 'error';
}

function isComponentHealth(value: unknown): value is ComponentHealth {
  return (
    isObject(value) &&
    isHealthStatus(value.status) &&
    typeof value.kind === 'string' &&
    typeof value.latencyMs === 'number'
  );
}

function isHealthResponse(value: unknown): value is HealthResponse {
  return (
    isObject(value) &&
    isHealthStatus(value.status) &&
    typeof value.checkedAt === 'string' &&
    isObject(value.components) &&
    isComponentHealth(value.components.database) &&
    isComponentHealth(value.components.storage)
  );
}
