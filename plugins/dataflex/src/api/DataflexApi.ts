import { createApiRef } from '@backstage/core-plugin-api';
import { HealthResponse } from '@dataflex/backstage-plugin-dataflex-common';

/**
 * Client for the DataFlex backend (`/api/dataflex`).
 *
 * @public
 */
export interface DataflexApi {
  /**
   * Checks the backend's dependencies. Resolves with the report whether or
   * not they are healthy; rejects only when no report could be obtained.
   */
  getHealth(): Promise<HealthResponse>;
}

/** @public */
export const dataflexApiRef = createApiRef<DataflexApi>({
  id: 'plugin.dataflex.service',
});
