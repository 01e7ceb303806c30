export { dataflexApiRef } from './DataflexApi';
export type { DataflexApi } from './DataflexApi';
export { DataflexClient } from './DataflexClient';
export type { DataflexClientOptions } from './DataflexClient';
