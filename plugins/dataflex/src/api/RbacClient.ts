import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { Explanation, RbacApi, RoleMapping } from './RbacApi';

/** @public */
export interface RbacClientOptions {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
}

/**
 * Default {@link RbacApi} implementation.
 *
 * @public
 */
export class RbacClient implements RbacApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: RbacClientOptions) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getRoles(): Promise<RoleMapping> {
    return this.request<RoleMapping>('/dataflex/roles');
  }

  explain(options: {
    entityRef: string;
    userEntityRef?: string;
  }): Promise<Explanation> {
    const query = new URLSearchParams({ entityRef: options.entityRef });
    if (options.userEntityRef) {
      query.set('userEntityRef', options.userEntityRef);
    }
    return this.request<Explanation>(`/dataflex/explain?${query}`);
  }

  private async request<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('permission');
    const res = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }
}
