import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  BlobStore,
  dataflexStorageExtensionPoint,
} from '@dataflex/backstage-plugin-dataflex-node';
import { DatabaseDatasetStore } from './database/DatabaseDatasetStore';
import { HealthService } from './service/HealthService';
import { createRouter } from './service/router';
import { BlobStoreJanitor } from './storage/BlobStoreJanitor';
import { createBlobStore } from './storage/createBlobStore';

/**
 * The DataFlex backend plugin: datasets, versions, access requests and demos,
 * served under `/api/dataflex`.
 *
 * @public
 */
export const dataflexPlugin = createBackendPlugin({
  pluginId: 'dataflex',
  register(env) {
    let customBlobStore: BlobStore | undefined;
    env.registerExtensionPoint(dataflexStorageExtensionPoint, {
      setBlobStore(store) {
        if (customBlobStore) {
          throw new Error('The DataFlex blob store may only be set once');
        }
        customBlobStore = store;
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({
        config,
        database,
        httpAuth,
        httpRouter,
        logger,
        scheduler,
      }) {
        const store = await DatabaseDatasetStore.create({ database });
        const blobStore = customBlobStore ?? (await createBlobStore(config));
        await BlobStoreJanitor.fromConfig(config, {
          blobStore,
          scheduler,
          logger,
        }).start();
        const health = HealthService.create({
          store,
          blobStore,
          databaseClient: (await database.getClient()).client.config.client,
        });
        httpRouter.use(await createRouter({ httpAuth, health }));
      },
    });
  },
});
