import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  OwnerProfiles,
  Profile,
  PublicProfile,
  UpdateProfileRequest,
} from '@dataflex/backstage-plugin-dataflex-common';
import { ProfileApi } from './ProfileApi';

/** @public */
export interface ProfileClientOptions {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
}

/**
 * Default {@link ProfileApi} implementation.
 *
 * @public
 */
export class ProfileClient implements ProfileApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: ProfileClientOptions) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getMyProfile(): Promise<Profile> {
    return this.request<Profile>('/profiles/me');
  }

  updateMyProfile(request: UpdateProfileRequest): Promise<Profile> {
    return this.request<Profile>('/profiles/me', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  getProfile(ref: { namespace: string; name: string }): Promise<PublicProfile> {
    return this.request<PublicProfile>(
      `/profiles/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(
        ref.name,
      )}`,
    );
  }

  getOwnerProfiles(ownerEntityRef: string): Promise<OwnerProfiles> {
    const query = new URLSearchParams({ entityRef: ownerEntityRef });
    return this.request<OwnerProfiles>(`/profiles/by-owner?${query}`);
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('dataflex');
    const res = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }
}
