import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  datasetSharingKeysServiceRef,
  datasetSharingPermissionRules,
} from '@dataflex/backstage-plugin-dataflex-node';
import { textPlaceholderResolver } from './placeholder/textPlaceholderResolver';
import { DataflexAnnotationsProcessor } from './processor/DataflexAnnotationsProcessor';
import { DatasetEntitiesProcessor } from './processor/DatasetEntitiesProcessor';
import { DatasetLatestVersionProcessor } from './processor/DatasetLatestVersionProcessor';
import { DatasetSharingProcessor } from './processor/DatasetSharingProcessor';
import { DataflexDatasetProvider } from './provider/DataflexDatasetProvider';
import { DatasetSharingRefresher } from './sharing/DatasetSharingRefresher';
import { GranteeDirectory } from './sharing/GranteeDirectory';
import { HttpCatalogGranteesReader } from './sharing/HttpCatalogGranteesReader';
import { HttpCatalogLatestVersionsReader } from './versions/HttpCatalogLatestVersionsReader';
import { LatestVersionDirectory } from './versions/LatestVersionDirectory';

/**
 * Adds DataFlex's entity model to the catalog, publishes the datasets
 * created through DataFlex as Dataset entities, shows private datasets
 * to their grant holders, and puts each dataset's latest version on it.
 *
 * @public
 */
export const catalogModuleDataflex = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'dataflex',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        catalogService: catalogServiceRef,
        permissionsRegistry: coreServices.permissionsRegistry,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        events: eventsServiceRef,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        sharingKeys: datasetSharingKeysServiceRef,
      },
      async init({
        catalog,
        catalogService,
        permissionsRegistry,
        config,
        sharingKeys,
        ...services
      }) {
        const { auth, discovery, events, lifecycle, logger } = services;
        catalog.addProcessor(new DatasetEntitiesProcessor());
        catalog.addProcessor(new DataflexAnnotationsProcessor());
        catalog.addPlaceholderResolver('text', textPlaceholderResolver);
        catalog.addEntityProvider(
          DataflexDatasetProvider.fromConfig(config, services),
        );

        const grantees = GranteeDirectory.create({
          reader: HttpCatalogGranteesReader.create({ discovery }),
          auth,
          logger,
          lifecycle,
        });
        catalog.addProcessor(
          DatasetSharingProcessor.create({ grantees, sharingKeys }),
        );
        const latestVersions = LatestVersionDirectory.create({
          reader: HttpCatalogLatestVersionsReader.create({ discovery }),
          auth,
          logger,
          lifecycle,
        });
        catalog.addProcessor(
          DatasetLatestVersionProcessor.create({ latestVersions }),
        );
        permissionsRegistry.addPermissionRules(
          Object.values(datasetSharingPermissionRules),
        );
        await DatasetSharingRefresher.create({
          events,
          catalog: catalogService,
          auth,
          logger,
          lifecycle,
          grantees,
          latestVersions,
        }).start();
      },
    });
  },
});
