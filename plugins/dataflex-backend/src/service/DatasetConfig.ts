import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { DatasetFormat } from '@dataflex/backstage-plugin-dataflex-common';

const FORMATS: readonly DatasetFormat[] = ['csv', 'jsonl', 'parquet'];
const GiB = 1024 * 1024 * 1024;

/** Hard ceilings of a preview, whatever the config says. */
export const PREVIEW_MAX_ROWS = 100;
export const PREVIEW_MAX_BYTES = 1024 * 1024;

/**
 * The dataset limits from `dataflex.limits` and `dataflex.datasets`, read
 * and checked in one place when the plugin starts.
 */
export class DatasetConfig {
  static fromConfig(config: Config): DatasetConfig {
    const limits = config.getOptionalConfig('dataflex.limits');
    const preview = config.getOptionalConfig('dataflex.datasets.preview');
    const orphans = config.getOptionalConfig('dataflex.datasets.orphanBlobs');
    const duration = (key: string, fallback: HumanDuration) => {
      const value = orphans?.has(key)
        ? readDurationFromConfig(orphans, { key })
        : fallback;
      if (durationToMilliseconds(value) <= 0) {
        throw new Error(
          `Invalid config at dataflex.datasets.orphanBlobs.${key}: must be longer than zero`,
        );
      }
      return value;
    };
    const allowedFormats = limits?.getOptionalStringArray('allowedFormats') ?? [
      ...FORMATS,
    ];
    for (const format of allowedFormats) {
      if (!FORMATS.includes(format as DatasetFormat)) {
        throw new Error(
          `Invalid config at dataflex.limits.allowedFormats: '${format}' is not one of ${FORMATS.join(
            ', ',
          )}`,
        );
      }
    }
    return new DatasetConfig(
      positive(limits, 'maxUploadBytes', 2 * GiB, 'dataflex.limits'),
      allowedFormats as DatasetFormat[],
      positive(limits, 'userQuotaBytes', 20 * GiB, 'dataflex.limits'),
      Math.min(
        positive(
          preview,
          'maxRows',
          PREVIEW_MAX_ROWS,
          'dataflex.datasets.preview',
        ),
        PREVIEW_MAX_ROWS,
      ),
      Math.min(
        positive(
          preview,
          'maxBytes',
          PREVIEW_MAX_BYTES,
          'dataflex.datasets.preview',
        ),
        PREVIEW_MAX_BYTES,
      ),
      {
        frequency: duration('frequency', { hours: 1 }),
        gracePeriod: duration('gracePeriod', { hours: 24 }),
      },
    );
  }

  private constructor(
    /** Largest upload, in bytes. */
    readonly maxUploadBytes: number,
    /** Formats accepted for upload, as detected from the content. */
    readonly allowedFormats: readonly DatasetFormat[],
    /** Total bytes of versions one user may have uploaded. */
    readonly userQuotaBytes: number,
    /** Most rows one preview returns. */
    readonly previewMaxRows: number,
    /** Most content bytes one preview reads, and about its response size. */
    readonly previewMaxBytes: number,
    /**
     * How often stored content no version references is looked for, and
     * how old it must be before it is removed.
     */
    readonly orphanBlobs: {
      frequency: HumanDuration;
      gracePeriod: HumanDuration;
    },
  ) {}
}

function positive(
  config: Config | undefined,
  key: string,
  fallback: number,
  prefix: string,
): number {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(
      `Invalid config at ${prefix}.${key}: must be a positive whole number, got ${value}`,
    );
  }
  return value;
}
