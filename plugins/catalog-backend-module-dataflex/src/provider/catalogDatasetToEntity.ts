import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
} from '@backstage/catalog-model';
import {
  CatalogDataset,
  DATASET_API_VERSION,
  DATASET_KIND,
  DatasetEntityV1alpha1,
} from '@dataflex/backstage-plugin-dataflex-common';

/** The lifecycle of a published dataset; DataFlex does not track one. */
export const DEFAULT_DATASET_LIFECYCLE = 'experimental';

/**
 * Where a published dataset is managed: its DataFlex API address, as a
 * `dataflex:` location, so the catalog shows where the entity comes from.
 */
export function datasetLocation(
  baseUrl: string,
  dataset: Pick<CatalogDataset, 'namespace' | 'name'>,
): string {
  return `dataflex:${baseUrl}/datasets/${encodeURIComponent(
    dataset.namespace,
  )}/${encodeURIComponent(dataset.name)}`;
}

/**
 * The Dataset entity of a dataset created through DataFlex: its metadata,
 * and the format and column schema of its latest version.
 */
export function catalogDatasetToEntity(
  dataset: CatalogDataset,
  baseUrl: string,
): DatasetEntityV1alpha1 {
  const location = datasetLocation(baseUrl, dataset);
  const spec: DatasetEntityV1alpha1['spec'] = {
    owner: dataset.owner,
    lifecycle: DEFAULT_DATASET_LIFECYCLE,
    visibility: dataset.visibility,
  };
  if (dataset.format) {
    spec.format = dataset.format;
  }
  // The kind's schema requires column names; a nameless column (an empty
  // CSV header) would get the whole entity rejected.
  const columns = (dataset.columns ?? []).filter(column => column.name);
  if (columns.length > 0) {
    spec.schema = {
      columns: columns.map(column => ({
        name: column.name,
        type: column.type,
      })),
    };
  }
  return {
    apiVersion: DATASET_API_VERSION,
    kind: DATASET_KIND,
    metadata: {
      namespace: dataset.namespace,
      name: dataset.name,
      ...(dataset.title ? { title: dataset.title } : {}),
      ...(dataset.description ? { description: dataset.description } : {}),
      tags: dataset.tags,
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
      },
    },
    spec,
  };
}
