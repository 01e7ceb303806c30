export * from './DatasetSharingKeys';
export * from './datasetSharingKeysServiceRef';
export * from './datasetSharingPermissionRules';
