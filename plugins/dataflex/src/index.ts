/**
 * The DataFlex frontend plugin: pages, cards and the client for the DataFlex
 * backend. Apps on the new frontend system import the plugin from `./alpha`.
 *
 * @packageDocumentation
 */

export { dataflexPlugin, DataflexPage } from './plugin';
export { DataflexClient, dataflexApiRef } from './api';
export type { DataflexApi, DataflexClientOptions } from './api';
