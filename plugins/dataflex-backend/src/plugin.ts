import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { isResourcePermission } from '@backstage/plugin-permission-common';
import {
  DATAFLEX_DATASET_RESOURCE_TYPE,
  dataflexPermissions,
} from '@dataflex/backstage-plugin-dataflex-common';
import {
  BlobStore,
  DataflexEventSink,
  dataflexDemoRunnersExtensionPoint,
  dataflexEventSinksExtensionPoint,
  dataflexStorageExtensionPoint,
  DemoRunner,
  datasetPermissionResourceRef,
  datasetPermissionRules,
} from '@dataflex/backstage-plugin-dataflex-node';
import { AccessGrantExpiry } from './access/AccessGrantExpiry';
import { AccessNotifier } from './access/AccessNotifier';
import { readAccessRequestsConfig } from './access/AccessRequestsConfig';
import { AccessService } from './access/AccessService';
import { DatabaseAccessStore } from './access/DatabaseAccessStore';
import { DatabaseDatasetStore } from './database/DatabaseDatasetStore';
import { DatabaseDemoRunStore } from './demo/DatabaseDemoRunStore';
import { readDemoConfig } from './demo/DemoConfig';
import { DemoService } from './demo/DemoService';
import { HttpDemoRunner } from './demo/HttpDemoRunner';
import { PipelineDemoRunner } from './demo/PipelineDemoRunner';
import { DatabaseDatasetVersionStore } from './database/DatabaseDatasetVersionStore';
import { MaskingResolver } from './preview/MaskingResolver';
import { PreviewService } from './preview/PreviewService';
import { DatabaseProfileStore } from './profiles/DatabaseProfileStore';
import { ProfileService } from './profiles/ProfileService';
import {
  createDatasetResourceLoader,
  DatasetAuthorizer,
} from './service/DatasetAuthorizer';
import { DatasetConfig } from './service/DatasetConfig';
import { DatasetService } from './service/DatasetService';
import { HealthService } from './service/HealthService';
import { OrphanBlobCollector } from './service/OrphanBlobCollector';
import { CatalogDatasetService } from './service/CatalogDatasetService';
import { CatalogLatestVersionService } from './service/CatalogLatestVersionService';
import { DataflexEventPublisher } from './service/DataflexEventPublisher';
import { createRouter } from './service/router';
import { VersionService } from './service/VersionService';
import { BlobStoreJanitor } from './storage/BlobStoreJanitor';
import { createBlobStore } from './storage/createBlobStore';
import { DatabaseEventOutboxStore } from './events/DatabaseEventOutboxStore';
import { EventOutbox } from './events/EventOutbox';
import { readEventOutboxConfig } from './events/EventOutboxConfig';

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

    const addedDemoRunners: DemoRunner[] = [];
    env.registerExtensionPoint(dataflexDemoRunnersExtensionPoint, {
      addDemoRunner(runner) {
        addedDemoRunners.push(runner);
      },
    });

    const addedEventSinks: DataflexEventSink[] = [];
    env.registerExtensionPoint(dataflexEventSinksExtensionPoint, {
      addEventSink(sink) {
        addedEventSinks.push(sink);
      },
    });

    env.registerInit({
      deps: {
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        events: eventsServiceRef,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
        notifications: notificationService,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        signals: signalsServiceRef,
        userInfo: coreServices.userInfo,
      },
      async init({
        auditor,
        auth,
        catalog,
        config,
        database,
        events,
        httpAuth,
        httpRouter,
        lifecycle,
        logger,
        notifications,
        permissions,
        permissionsRegistry,
        scheduler,
        signals,
        userInfo,
      }) {
        const datasetConfig = DatasetConfig.fromConfig(config);
        const accessConfig = readAccessRequestsConfig(config);
        const store = await DatabaseDatasetStore.create({ database });
        const versionStore = DatabaseDatasetVersionStore.create({
          knex: await database.getClient(),
        });
        const accessStore = DatabaseAccessStore.create({
          knex: await database.getClient(),
        });

        permissionsRegistry.addPermissions(
          dataflexPermissions.filter(p => !isResourcePermission(p)),
        );
        permissionsRegistry.addResourceType({
          resourceRef: datasetPermissionResourceRef,
          permissions: dataflexPermissions.filter(p =>
            isResourcePermission(p, DATAFLEX_DATASET_RESOURCE_TYPE),
          ),
          rules: Object.values(datasetPermissionRules),
          getResources: createDatasetResourceLoader(store, accessStore),
        });
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
        await OrphanBlobCollector.create({
          blobStore,
          versionStore,
          scheduler,
          logger,
          ...datasetConfig.orphanBlobs,
        }).start();
        const outbox = EventOutbox.create({
          store: DatabaseEventOutboxStore.create({
            knex: await database.getClient(),
          }),
          config: readEventOutboxConfig(config),
          events,
          sinks: addedEventSinks,
          scheduler,
          logger,
          lifecycle,
        });
        await outbox.start();
        const eventPublisher = DataflexEventPublisher.create({
          outbox,
          logger,
        });
        const authorizer = DatasetAuthorizer.create({
          permissions,
          permissionsRegistry,
          grants: accessStore,
        });
        const datasets = DatasetService.create({
          store,
          authorizer,
          catalog,
          auth,
          events: eventPublisher,
        });
        const previews = PreviewService.create({
          blobStore,
          masking: MaskingResolver.create({ catalog, auth }),
          maxRows: datasetConfig.previewMaxRows,
          maxBytes: datasetConfig.previewMaxBytes,
        });
        const versions = VersionService.create({
          datasets,
          versionStore,
          blobStore,
          config: datasetConfig,
          preview: previews,
          events: eventPublisher,
          downloads: accessStore,
        });
        const access = AccessService.create({
          datasets,
          datasetStore: store,
          authorizer,
          store: accessStore,
          catalog,
          auth,
          userInfo,
          notifier: AccessNotifier.create({ notifications, signals, logger }),
          events: eventPublisher,
          config: accessConfig,
        });
        await AccessGrantExpiry.create({
          access,
          scheduler,
          auditor,
          logger,
          frequency: accessConfig.expiryFrequency,
        }).start();
        const demoConfig = readDemoConfig(config);
        const demos = DemoService.create({
          catalog,
          auth,
          permissions,
          authorizer,
          datasets: store,
          versions: versionStore,
          previews,
          runners: [
            ...addedDemoRunners,
            new PipelineDemoRunner(),
            HttpDemoRunner.create({
              allowedHosts: demoConfig.allowedHosts,
              allowPrivateAddressesFor: demoConfig.allowPrivateAddressesFor,
            }),
          ],
          events: eventPublisher,
          runs: DatabaseDemoRunStore.create({
            knex: await database.getClient(),
          }),
          config: demoConfig,
        });
        // Lets a plain link download content with the user cookie; every
        // other route still insists on a full token.
        httpRouter.addAuthPolicy({ path: '/datasets', allow: 'user-cookie' });
        httpRouter.use(
          await createRouter({
            httpAuth,
            auditor,
            health,
            datasets,
            catalogDatasets: CatalogDatasetService.create({
              store,
              versionStore,
            }),
            catalogLatestVersions: CatalogLatestVersionService.create({
              store,
              versionStore,
            }),
            versions,
            blobStore,
            demos,
            access,
            profiles: ProfileService.create({
              store: DatabaseProfileStore.create({
                knex: await database.getClient(),
              }),
              catalog,
            }),
          }),
        );
      },
    });
  },
});
