import { DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { CatalogGranteesPage, CatalogGranteesReader } from './GranteeDirectory';

/** Reads `GET /api/dataflex/catalog/grantees` with a service token. */
export class HttpCatalogGranteesReader implements CatalogGranteesReader {
  static create(options: { discovery: DiscoveryService }) {
    return new HttpCatalogGranteesReader(options.discovery);
  }

  private constructor(private readonly discovery: DiscoveryService) {}

  async listCatalogGrantees(
    options: { limit?: number; cursor?: string },
    requestOptions: { token: string },
  ): Promise<CatalogGranteesPage> {
    const url = new URL(
      `${await this.discovery.getBaseUrl('dataflex')}/catalog/grantees`,
    );
    if (options.limit !== undefined) {
      url.searchParams.set('limit', String(options.limit));
    }
    if (options.cursor !== undefined) {
      url.searchParams.set('cursor', options.cursor);
    }
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${requestOptions.token}` },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as CatalogGranteesPage;
  }
}
