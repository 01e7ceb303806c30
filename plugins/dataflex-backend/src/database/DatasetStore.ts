import { DatasetVisibility } from '@dataflex/backstage-plugin-dataflex-common';
import { DatasetPermissionQuery } from '@dataflex/backstage-plugin-dataflex-node';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { WriteOptions } from './WriteOptions';

/** Where a dataset's row came from. */
export type DatasetSource = 'api' | 'catalog';

/** A dataset's metadata as DataFlex stores it. */
export interface DatasetRecord {
  id: string;
  /** Lower case, like every ref DataFlex stores. */
  namespace: string;
  /** Lower case, like every ref DataFlex stores. */
  name: string;
  title?: string;
  description?: string;
  /** Entity ref of the owning group or user, lower case. */
  owner: string;
  visibility: DatasetVisibility;
  tags: string[];
  source: DatasetSource;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** The newest version's number; undefined before the first upload. */
  latestVersion?: number;
}

/** Identifies a dataset the way URLs and entity refs do. */
export interface DatasetRef {
  namespace: string;
  name: string;
}

export type CreateDatasetOptions = Pick<
  DatasetRecord,
  | 'namespace'
  | 'name'
  | 'title'
  | 'description'
  | 'owner'
  | 'visibility'
  | 'tags'
  | 'createdBy'
> & { source?: DatasetSource };

/**
 * Metadata to change. Absent fields stay as they are; an empty title or
 * description clears it.
 */
export type UpdateDatasetOptions = Partial<
  Pick<DatasetRecord, 'title' | 'description' | 'owner' | 'visibility' | 'tags'>
>;

export interface ListDatasetsOptions {
  /**
   * Only datasets matching these permission conditions; every dataset when
   * undefined. Applied in the query, so pages are always full.
   */
  filter?: PermissionCriteria<DatasetPermissionQuery>;
  /** Only datasets whose row came from there. */
  source?: DatasetSource;
  /** Only these datasets (none when empty). */
  refs?: DatasetRef[];
  limit: number;
  /** Continue after this dataset (the last one of the previous page). */
  after?: DatasetRef;
}

export interface DatasetPage {
  items: DatasetRecord[];
  hasMore: boolean;
}

export interface DatasetStore {
  /** Throws ConflictError when a dataset with that namespace and name exists. */
  createDataset(
    options: CreateDatasetOptions,
    write?: WriteOptions<DatasetRecord>,
  ): Promise<DatasetRecord>;
  getDataset(ref: DatasetRef): Promise<DatasetRecord | undefined>;
  /** The datasets with these refs, in the same order; undefined where missing. */
  getDatasets(refs: DatasetRef[]): Promise<Array<DatasetRecord | undefined>>;
  /** Ordered by namespace, then name. */
  listDatasets(options: ListDatasetsOptions): Promise<DatasetPage>;
  /** Returns the updated dataset, or undefined when it does not exist. */
  updateDataset(
    ref: DatasetRef,
    changes: UpdateDatasetOptions,
    write?: WriteOptions<DatasetRecord>,
  ): Promise<DatasetRecord | undefined>;
  /**
   * Deletes the dataset with every version's metadata (not their content).
   * Returns false when there was nothing to delete.
   */
  deleteDataset(ref: DatasetRef, write?: WriteOptions): Promise<boolean>;
  /** Round-trips to the database; throws when it cannot be reached. */
  ping(): Promise<void>;
}
