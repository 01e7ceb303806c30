import { DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CatalogLatestVersionList } from '@dataflex/backstage-plugin-dataflex-common';
import { CatalogLatestVersionsReader } from './LatestVersionDirectory';

/** Reads `GET /api/dataflex/catalog/latest-versions` with a service token. */
export class HttpCatalogLatestVersionsReader
  implements CatalogLatestVersionsReader
{
  static create(options: { discovery: DiscoveryService }) {
    return new HttpCatalogLatestVersionsReader(options.discovery);
  }

  private constructor(private readonly discovery: DiscoveryService) {}

  async listCatalogLatestVersions(
    refs: string[],
    requestOptions: { token: string },
  ): Promise<CatalogLatestVersionList> {
    const url = new URL(
      `${await this.discovery.getBaseUrl('dataflex')}/catalog/latest-versions`,
    );
    for (const ref of refs) {
      url.searchParams.append('ref', ref);
    }
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${requestOptions.token}` },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as CatalogLatestVersionList;
  }
}
