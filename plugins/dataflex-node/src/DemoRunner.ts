import { Entity } from '@backstage/catalog-model';

/** One row of sample data: column name to value. @public */
export type DemoRow = Record<string, unknown>;

/**
 * What a demo runner gets: masked sample rows of the service's input dataset
 * (never more than the configured cap) and the limits it must respect.
 *
 * @public
 */
export interface DemoRunRequest {
  /** The service whose demo runs (a Component entity with DataFlex annotations). */
  service: Entity;
  input: DemoRow[];
  limits: {
    /** Output beyond this many rows is cut off. */
    maxRows: number;
    timeoutMs: number;
    /** Responses larger than this are refused (HTTP runners). */
    maxResponseBytes: number;
  };
  /** Aborted when the caller goes away or the timeout passes. */
  signal: AbortSignal;
}

/** @public */
export interface DemoRunResult {
  rows: DemoRow[];
  /** True when the output had more rows than the cap and was cut. */
  truncated: boolean;
}

/**
 * Runs one kind of demo. DataFlex picks the first runner that supports a
 * service.
 *
 * @public
 */
export interface DemoRunner {
  /** Short name recorded with each run, e.g. `pipeline` or `http`. */
  readonly type: string;
  supports(service: Entity): boolean;
  /** Throws `InputError` (from `@backstage/errors`) for problems to show the user. */
  run(request: DemoRunRequest): Promise<DemoRunResult>;
}
