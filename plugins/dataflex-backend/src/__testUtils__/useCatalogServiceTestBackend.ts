import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { startDataflexTestBackend } from './startDataflexTestBackend';

/**
 * A Dataset the catalog holds from YAML: DataFlex imports it on its first
 * upload and must not offer it to the catalog again.
 */
export const registeredDataset: Entity = {
  apiVersion: 'dataflex.io/v1alpha1',
  kind: 'Dataset',
  metadata: { name: 'customers', namespace: 'default' },
  spec: {
    owner: 'data-platform',
    lifecycle: 'production',
    visibility: 'public',
  },
};

/**
 * For the routes the catalog backend calls with its service credentials
 * (see asCatalogService): gives each test a fresh blob directory and
 * returns a function that starts a test backend on it whose catalog holds
 * {@link registeredDataset}.
 */
export function useCatalogServiceTestBackend() {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-catalog-'));
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  return () =>
    startDataflexTestBackend({
      blobDirectory: dir,
      entities: [registeredDataset],
    });
}
