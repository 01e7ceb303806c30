import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { DatasetSharingKeys } from './DatasetSharingKeys';

/**
 * The one derivation of grantee keys in a backend, shared by the catalog
 * module that writes them into `sharedWith` relations and the permission
 * policy that looks them up. A root service, so that a missing secret stops
 * the backend at start-up rather than when the first dataset is processed.
 *
 * @public
 */
export const datasetSharingKeysServiceRef =
  createServiceRef<DatasetSharingKeys>({
    id: 'dataflex.dataset-sharing-keys',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          config: coreServices.rootConfig,
          logger: coreServices.rootLogger,
        },
        factory: ({ config, logger }) =>
          DatasetSharingKeys.fromConfig(config, { logger }),
      }),
  });
