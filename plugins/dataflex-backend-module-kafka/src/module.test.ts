import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  DataflexEventSink,
  dataflexEventSinksExtensionPoint,
} from '@dataflex/backstage-plugin-dataflex-node';
import { dataflexModuleKafka } from './module';

/** Stands in for the DataFlex plugin: records the sinks modules add. */
function sinkRecordingPlugin(added: DataflexEventSink[]) {
  return createBackendPlugin({
    pluginId: 'dataflex',
    register(env) {
      env.registerExtensionPoint(dataflexEventSinksExtensionPoint, {
        addEventSink: sink => added.push(sink),
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
}

describe('dataflexModuleKafka', () => {
  it('adds the Kafka sink when dataflex.events.kafka is configured', async () => {
    const added: DataflexEventSink[] = [];
    const backend = await startTestBackend({
      features: [
        sinkRecordingPlugin(added),
        dataflexModuleKafka,
        mockServices.rootConfig.factory({
          data: {
            dataflex: {
              events: {
                kafka: { clientId: 'dataflex', brokers: ['127.0.0.1:9'] },
              },
            },
          },
        }),
      ],
    });
    expect(added.map(sink => sink.id)).toEqual(['kafka']);
    await backend.stop();
  });

  it('adds nothing without that config, so events stay in Backstage', async () => {
    const added: DataflexEventSink[] = [];
    const backend = await startTestBackend({
      features: [sinkRecordingPlugin(added), dataflexModuleKafka],
    });
    expect(added).toEqual([]);
    await backend.stop();
  });
});
