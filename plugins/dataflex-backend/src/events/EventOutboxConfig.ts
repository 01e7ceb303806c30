import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

/** `dataflex.events.outbox`, read once. */
export interface EventOutboxConfig {
  /** How often the relay looks for events left behind (crash, outage). */
  frequency: HumanDuration;
  /** How long sent events stay in the outbox before they are pruned. */
  retention: HumanDuration;
  batchSize: number;
  leaseMs: number;
  maxBackoffMs: number;
}

const PREFIX = 'dataflex.events.outbox';

export function readEventOutboxConfig(config: Config): EventOutboxConfig {
  const duration = (name: string, fallback: HumanDuration) => {
    const key = `${PREFIX}.${name}`;
    const value = config.has(key)
      ? readDurationFromConfig(config, { key })
      : fallback;
    if (durationToMilliseconds(value) <= 0) {
      throw new Error(
        `Invalid config at ${key}: it must be a duration longer than zero, e.g. '7d' or { days: 7 }`,
      );
    }
    return value;
  };
  const batchSize = config.getOptionalNumber(`${PREFIX}.batchSize`) ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) {
    throw new Error(
      `Invalid config at ${PREFIX}.batchSize: it must be a whole number from 1 to 1000, not ${batchSize}`,
    );
  }
  return {
    frequency: duration('frequency', { seconds: 10 }),
    retention: duration('retention', { days: 7 }),
    batchSize,
    leaseMs: durationToMilliseconds(duration('lease', { minutes: 1 })),
    maxBackoffMs: durationToMilliseconds(
      duration('maxBackoff', { minutes: 5 }),
    ),
  };
}
