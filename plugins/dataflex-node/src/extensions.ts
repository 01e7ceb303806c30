import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { BlobStore } from './BlobStore';

/**
 * Lets a backend module replace the blob store that the DataFlex backend
 * would otherwise build from `dataflex.storage` config.
 *
 * @public
 */
export interface DataflexStorageExtensionPoint {
  setBlobStore(store: BlobStore): void;
}

/** @public */
export const dataflexStorageExtensionPoint =
  createExtensionPoint<DataflexStorageExtensionPoint>({
    id: 'dataflex.storage',
  });
