/**
 * The one prefix of every annotation DataFlex reads.
 *
 * @public
 */
export const DATAFLEX_ANNOTATION_PREFIX = 'dataflex.io/';

/**
 * Annotations DataFlex reads from catalog entities. Values are strings, as
 * all annotations are; the catalog model issue's processor validates them.
 *
 * @public
 */
export const DATAFLEX_ANNOTATIONS = {
  /** `"true"` shows a service in the public showcase; anything else hides it. */
  public: 'dataflex.io/public',
  /** One or two sentences on what a service does with data. */
  purpose: 'dataflex.io/purpose',
  /** Comma-separated refs of the datasets a service reads. */
  consumesDatasets: 'dataflex.io/consumes-datasets',
  /** Comma-separated refs of the datasets a service writes. */
  producesDatasets: 'dataflex.io/produces-datasets',
  /** Ref of the dataset whose sample rows feed a service's demo. */
  demoInput: 'dataflex.io/demo-input',
  /** URL DataFlex POSTs sample rows to (an HTTP demo). */
  demoEndpoint: 'dataflex.io/demo-endpoint',
  /** A declarative pipeline (YAML list of steps) DataFlex runs itself. */
  demoPipeline: 'dataflex.io/demo-pipeline',
  /** How many sample rows a demo gets, capped by config. */
  demoSampleRows: 'dataflex.io/demo-sample-rows',
  /** Demo timeout in milliseconds, capped by config. */
  demoTimeoutMs: 'dataflex.io/demo-timeout-ms',
  /** Path of a sample file loaded into a dataset by the start command. */
  sampleFile: 'dataflex.io/sample-file',
  /**
   * Comma-separated names of the fields an access request for a Dataset must
   * answer besides its justification, e.g. `purpose, project`.
   */
  accessRequestFields: 'dataflex.io/access-request-fields',
} as const;

/**
 * Annotations DataFlex's catalog module puts on Dataset entities from what
 * DataFlex knows; entity files may not set them. They are part of the entity,
 * so they are seen exactly by those who may see the dataset.
 *
 * @public
 */
export const DATAFLEX_CATALOG_ANNOTATIONS = {
  /** The newest version's number, which is also how many versions there are. */
  latestVersion: 'dataflex.io/latest-version',
  /** When the newest version was committed (ISO 8601, UTC). */
  latestVersionAt: 'dataflex.io/latest-version-at',
} as const;
