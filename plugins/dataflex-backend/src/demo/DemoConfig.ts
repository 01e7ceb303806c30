import { RootConfigService } from '@backstage/backend-plugin-api';

/** `dataflex.demos`, read in one place. */
export interface DemoConfig {
  /** Sample rows when the service does not say; never above `maxSampleRows`. */
  defaultSampleRows: number;
  /** Hard cap on sample rows and on output rows, whatever a service asks for. */
  maxSampleRows: number;
  /** Hard cap on a run's time, whatever a service asks for. */
  maxTimeoutMs: number;
  maxResponseBytes: number;
  allowedHosts: string[];
  allowPrivateAddressesFor: string[];
  runsPerUserPerMinute: number;
  maxConcurrentRuns: number;
}

function positive(
  config: RootConfigService,
  key: string,
  fallback: number,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(
      `Invalid config at ${key}: must be a positive whole number, got ${value}`,
    );
  }
  return value;
}

export function readDemoConfig(config: RootConfigService): DemoConfig {
  const maxSampleRows = positive(config, 'dataflex.demos.maxSampleRows', 100);
  return {
    defaultSampleRows: Math.min(
      positive(config, 'dataflex.demos.defaultSampleRows', 20),
      maxSampleRows,
    ),
    maxSampleRows,
    maxTimeoutMs: positive(config, 'dataflex.demos.maxTimeoutMs', 10_000),
    maxResponseBytes: positive(
      config,
      'dataflex.demos.maxResponseBytes',
      1024 * 1024,
    ),
    allowedHosts:
      config.getOptionalStringArray('dataflex.demos.allowedHosts') ?? [],
    allowPrivateAddressesFor:
      config.getOptionalStringArray(
        'dataflex.demos.allowPrivateAddressesFor',
      ) ?? [],
    runsPerUserPerMinute: positive(
      config,
      'dataflex.demos.runsPerUserPerMinute',
      10,
    ),
    maxConcurrentRuns: positive(config, 'dataflex.demos.maxConcurrentRuns', 4),
  };
}
