import { AuthService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { isDatasetEntity } from '@dataflex/backstage-plugin-dataflex-common';
import { DatasetRef } from '../database/DatasetStore';

/**
 * Finds the columns a preview must mask: those in the Dataset entity's
 * `spec.masking` and those its schema marks as `pii`. The catalog is asked
 * as this plugin, so masking applies whoever looks; if it cannot be asked,
 * the preview fails rather than showing anything unmasked.
 */
export class MaskingResolver {
  static create(options: {
    catalog: CatalogService;
    auth: AuthService;
  }): MaskingResolver {
    return new MaskingResolver(options.catalog, options.auth);
  }

  private constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  /** Lower-cased names of the columns to mask. */
  async maskedColumns(ref: DatasetRef): Promise<Set<string>> {
    let entity;
    try {
      entity = await this.catalog.getEntityByRef(
        `dataset:${ref.namespace}/${ref.name}`,
        { credentials: await this.auth.getOwnServiceCredentials() },
      );
    } catch (error) {
      throw new ServiceUnavailableError(
        'Cannot tell which columns to mask because the catalog does not answer; try again later',
        error,
      );
    }
    const masked = new Set<string>();
    if (!entity || !isDatasetEntity(entity)) {
      return masked;
    }
    for (const column of entity.spec.masking ?? []) {
      masked.add(column.toLocaleLowerCase('en-US'));
    }
    for (const column of entity.spec.schema?.columns ?? []) {
      if (column.pii) {
        masked.add(column.name.toLocaleLowerCase('en-US'));
      }
    }
    return masked;
  }
}
