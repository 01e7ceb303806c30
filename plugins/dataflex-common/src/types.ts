/**
 * Who may learn that a dataset exists and who may read its content.
 *
 * - `private`: only owners, admins and grant holders know it exists.
 * - `public`: metadata, schema and version list are visible to every signed-in
 *   user; content needs a grant.
 * - `open`: content is readable by every signed-in user.
 *
 * @public
 */
export type DatasetVisibility = 'private' | 'public' | 'open';

/** @public */
export const DATASET_VISIBILITIES: readonly DatasetVisibility[] = [
  'private',
  'public',
  'open',
];

/** @public */
export type HealthStatus = 'ok' | 'error';

/**
 * The result of checking one dependency of the DataFlex backend.
 *
 * @public
 */
export interface ComponentHealth {
  status: HealthStatus;
  /** What was checked, e.g. the database client or the storage kind. */
  kind: string;
  latencyMs: number;
  /** Present when `status` is `error`; never contains credentials. */
  message?: string;
}

/**
 * Response of `GET /api/dataflex/health`.
 *
 * @public
 */
export interface HealthResponse {
  status: HealthStatus;
  checkedAt: string;
  components: {
    database: ComponentHealth;
    storage: ComponentHealth;
  };
}
