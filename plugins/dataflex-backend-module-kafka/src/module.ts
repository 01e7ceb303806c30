import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { dataflexEventSinksExtensionPoint } from '@dataflex/backstage-plugin-dataflex-node';
import { KafkaEventSink } from './KafkaEventSink';

/**
 * Publishes DataFlex's events to Kafka when `dataflex.events.kafka` is
 * configured, as a sink of DataFlex's transactional outbox: in order per
 * dataset, at least once, never lost between a commit and the broker.
 *
 * @public
 */
export const dataflexModuleKafka = createBackendModule({
  pluginId: 'dataflex',
  moduleId: 'kafka',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        sinks: dataflexEventSinksExtensionPoint,
      },
      async init({ config, logger, lifecycle, sinks }) {
        const sink = KafkaEventSink.fromConfig(config, { logger });
        if (!sink) {
          logger.info(
            'dataflex.events.kafka is not configured; DataFlex events are published to Backstage events only',
          );
          return;
        }
        sinks.addEventSink(sink);
        lifecycle.addShutdownHook(() => sink.stop());
      },
    });
  },
});
