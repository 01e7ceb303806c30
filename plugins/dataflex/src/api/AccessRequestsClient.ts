import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AccessDecision,
  AccessGrant,
  AccessGrantList,
  AccessRequest,
  AccessRequestList,
  AuditEntryList,
  DatasetAccessSummary,
  DatasetRefParts,
  NewAccessGrant,
  NewAccessRequest,
} from '@dataflex/backstage-plugin-dataflex-common';
import {
  AccessRequestsApi,
  ListAccessRequestsOptions,
  ListDatasetGrantsOptions,
  PageOptions,
} from './AccessRequestsApi';

/** @public */
export interface AccessRequestsClientOptions {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
}

/**
 * Default {@link AccessRequestsApi} implementation, on the app's fetch API so
 * every call carries the signed-in user's token.
 *
 * @public
 */
export class AccessRequestsClient implements AccessRequestsApi {
  static create(options: AccessRequestsClientOptions): AccessRequestsClient {
    return new AccessRequestsClient(options.discoveryApi, options.fetchApi);
  }

  private constructor(
    private readonly discoveryApi: DiscoveryApi,
    private readonly fetchApi: FetchApi,
  ) {}

  async getDatasetAccess(ref: DatasetRefParts): Promise<DatasetAccessSummary> {
    return (await this.request(`${datasetPath(ref)}/access`)).json();
  }

  async createAccessRequest(
    ref: DatasetRefParts,
    request: NewAccessRequest,
  ): Promise<AccessRequest> {
    return (
      await this.request(`${datasetPath(ref)}/access-requests`, post(request))
    ).json();
  }

  async listAccessRequests(
    options: ListAccessRequestsOptions = {},
  ): Promise<AccessRequestList> {
    return (await this.request(`/access-requests${query(options)}`)).json();
  }

  async getAccessRequest(id: string): Promise<AccessRequest> {
    return (
      await this.request(`/access-requests/${encodeURIComponent(id)}`)
    ).json();
  }

  async decideAccessRequest(
    id: string,
    decision: AccessDecision,
  ): Promise<AccessRequest> {
    return (
      await this.request(
        `/access-requests/${encodeURIComponent(id)}/decision`,
        post(decision),
      )
    ).json();
  }

  async withdrawAccessRequest(id: string): Promise<AccessRequest> {
    return (
      await this.request(
        `/access-requests/${encodeURIComponent(id)}/withdraw`,
        { method: 'POST' },
      )
    ).json();
  }

  async listDatasetGrants(
    ref: DatasetRefParts,
    options: ListDatasetGrantsOptions = {},
  ): Promise<AccessGrantList> {
    return (
      await this.request(`${datasetPath(ref)}/grants${query(options)}`)
    ).json();
  }

  async createDatasetGrant(
    ref: DatasetRefParts,
    grant: NewAccessGrant,
  ): Promise<AccessGrant> {
    return (
      await this.request(`${datasetPath(ref)}/grants`, post(grant))
    ).json();
  }

  async listOwnGrants(options: PageOptions = {}): Promise<AccessGrantList> {
    return (await this.request(`/grants${query(options)}`)).json();
  }

  async revokeGrant(
    id: string,
    options: { reason?: string } = {},
  ): Promise<AccessGrant> {
    return (
      await this.request(
        `/grants/${encodeURIComponent(id)}/revoke`,
        post(options.reason ? { reason: options.reason } : {}),
      )
    ).json();
  }

  async getDatasetAudit(
    ref: DatasetRefParts,
    options: PageOptions = {},
  ): Promise<AuditEntryList> {
    return (
      await this.request(`${datasetPath(ref)}/audit${query(options)}`)
    ).json();
  }

  async getDatasetAuditCsv(ref: DatasetRefParts): Promise<Blob> {
    return (
      await this.request(
        `${datasetPath(ref)}/audit${query({ format: 'csv' })}`,
        {
          headers: { Accept: 'text/csv' },
        },
      )
    ).blob();
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('dataflex');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}

function datasetPath(ref: DatasetRefParts): string {
  return `/datasets/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(
    ref.name,
  )}`;
}

function post(body: object): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  };
}

function query(params: object): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
