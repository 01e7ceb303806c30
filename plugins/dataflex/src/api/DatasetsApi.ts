import { createApiRef } from '@backstage/core-plugin-api';
import {
  DatasetApi,
  DatasetRefParts,
  DatasetVersion,
} from '@dataflex/backstage-plugin-dataflex-common';

/**
 * The masked sample a demo ran on. Mirrors `DemoRunInput` of the backend's
 * OpenAPI spec, which the common package does not export.
 *
 * @public
 */
export interface DemoRunInput {
  /** Entity ref of the input dataset. */
  dataset: string;
  version: number;
  columns: string[];
  rows: Array<Record<string, unknown>>;
}

/** @public */
export interface DemoRunOutput {
  columns: string[];
  rows: Array<Record<string, unknown>>;
  /** The demo returned more rows than are shown. */
  truncated: boolean;
}

/** One demo run: its sample input, its output and how long it took. @public */
export interface DemoRun {
  runId: string;
  /** Entity ref of the service. */
  service: string;
  /** `pipeline`, `http`, or a runner added by a module. */
  runner: string;
  input: DemoRunInput;
  output: DemoRunOutput;
  durationMs: number;
}

/** How often a service's demo ran, and how it went. @public */
export interface DemoRunStats {
  runs: number;
  succeeded: number;
  failed: number;
  /** ISO 8601 time of the last run. */
  lastRunAt?: string;
}

/** Upload progress: bytes of the request body sent so far, of the total. @public */
export interface UploadProgress {
  loaded: number;
  total: number;
}

/**
 * The DataFlex dataset and demo API for the browser: the common
 * {@link @dataflex/backstage-plugin-dataflex-common#DatasetApi}, an upload that
 * reports its progress, and demo runs.
 *
 * @public
 */
export interface DatasetsApi extends DatasetApi {
  /**
   * Uploads a new version and reports the bytes sent as they go. Rejects with
   * the backend's message when the upload is refused.
   */
  uploadVersionWithProgress(
    ref: DatasetRefParts,
    file: Blob,
    options: {
      filename: string;
      changeNote?: string;
      onProgress?: (progress: UploadProgress) => void;
    },
  ): Promise<DatasetVersion>;
  /** Runs a service's demo on a masked sample of its input dataset. */
  runDemo(ref: DatasetRefParts): Promise<DemoRun>;
  /** How often a service's demo ran. */
  getDemoStats(ref: DatasetRefParts): Promise<DemoRunStats>;
}

/** @public */
export const datasetsApiRef = createApiRef<DatasetsApi>({
  id: 'plugin.dataflex.datasets',
});
