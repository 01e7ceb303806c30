//

export * from '../models/ColumnType.model';
export * from '../models/ComponentHealth.model';
export * from '../models/CreateDatasetRequest.model';
export * from '../models/Dataset.model';
export * from '../models/DatasetAccess.model';
export * from '../models/DatasetFormat.model';
export * from '../models/DatasetList.model';
export * from '../models/DatasetPreview.model';
export * from '../models/DatasetVersion.model';
export * from '../models/DatasetVersionList.model';
export * from '../models/DatasetVisibility.model';
export * from '../models/ErrorError.model';
export * from '../models/ErrorRequest.model';
export * from '../models/ErrorResponse.model';
export * from '../models/HealthResponse.model';
export * from '../models/HealthResponseComponents.model';
export * from '../models/ModelError.model';
export * from '../models/PreviewColumn.model';
export * from '../models/RetypedColumn.model';
export * from '../models/SchemaDiff.model';
export * from '../models/UpdateDatasetRequest.model';
export * from '../models/VersionColumn.model';
