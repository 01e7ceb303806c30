export * from './DatasetEntityV1alpha1';
