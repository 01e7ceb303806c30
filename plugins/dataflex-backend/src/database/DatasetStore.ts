import { DatasetVisibility } from '@dataflex/backstage-plugin-dataflex-common';

/** A dataset's metadata as DataFlex stores it. */
export interface DatasetRecord {
  id: string;
  namespace: string;
  name: string;
  title?: string;
  description?: string;
  owner: string;
  visibility: DatasetVisibility;
  tags: string[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
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
>;

export interface DatasetStore {
  /** Throws ConflictError when a dataset with that namespace and name exists. */
  createDataset(options: CreateDatasetOptions): Promise<DatasetRecord>;
  getDataset(ref: {
    namespace: string;
    name: string;
  }): Promise<DatasetRecord | undefined>;
  listDatasets(): Promise<DatasetRecord[]>;
  /** Round-trips to the database; throws when it cannot be reached. */
  ping(): Promise<void>;
}
