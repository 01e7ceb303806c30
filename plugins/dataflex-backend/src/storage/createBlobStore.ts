import { RootConfigService } from '@backstage/backend-plugin-api';
import { BlobStore } from '@dataflex/backstage-plugin-dataflex-node';
import { LocalDiskBlobStore } from './LocalDiskBlobStore';

/**
 * Builds the blob store described by `dataflex.storage`. Relative local
 * directories are resolved against the backend's working directory.
 */
export async function createBlobStore(
  config: RootConfigService,
): Promise<BlobStore> {
  const storage = config.getOptionalConfig('dataflex.storage');
  const type = storage?.getOptionalString('type') ?? 'local';
  switch (type) {
    case 'local':
      return LocalDiskBlobStore.create({
        directory:
          storage?.getOptionalString('local.directory') ??
          'dataflex-data/blobs',
      });
    default:
      throw new Error(
        `Invalid config at dataflex.storage.type: '${type}' is not a supported storage type; use 'local'`,
      );
  }
}
