export * from './DatasetClient';
