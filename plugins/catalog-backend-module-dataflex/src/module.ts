import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { textPlaceholderResolver } from './placeholder/textPlaceholderResolver';
import { DataflexAnnotationsProcessor } from './processor/DataflexAnnotationsProcessor';
import { DatasetEntitiesProcessor } from './processor/DatasetEntitiesProcessor';
import { DataflexDatasetProvider } from './provider/DataflexDatasetProvider';

/**
 * Adds DataFlex's entity model to the catalog, and publishes the datasets
 * created through DataFlex as Dataset entities.
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
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        events: eventsServiceRef,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, config, ...services }) {
        catalog.addProcessor(new DatasetEntitiesProcessor());
        catalog.addProcessor(new DataflexAnnotationsProcessor());
        catalog.addPlaceholderResolver('text', textPlaceholderResolver);
        catalog.addEntityProvider(
          DataflexDatasetProvider.fromConfig(config, services),
        );
      },
    });
  },
});
