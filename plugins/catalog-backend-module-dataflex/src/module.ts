import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { textPlaceholderResolver } from './placeholder/textPlaceholderResolver';
import { DataflexAnnotationsProcessor } from './processor/DataflexAnnotationsProcessor';
import { DatasetEntitiesProcessor } from './processor/DatasetEntitiesProcessor';

/**
 * Adds DataFlex's entity model to the catalog.
 *
 * @public
 */
export const catalogModuleDataflex = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'dataflex',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addProcessor(new DatasetEntitiesProcessor());
        catalog.addProcessor(new DataflexAnnotationsProcessor());
        catalog.addPlaceholderResolver('text', textPlaceholderResolver);
      },
    });
  },
});
