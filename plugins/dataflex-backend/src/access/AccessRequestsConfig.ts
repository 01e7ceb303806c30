import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

/** The access request settings under `dataflex.accessRequests`. */
export interface AccessRequestsConfig {
  /** How long after a rejection the requester must wait to ask again. */
  cooldown: HumanDuration;
  /** How often the expiry task records grants that have ended. */
  expiryFrequency: HumanDuration;
}

/** Reads and checks `dataflex.accessRequests` when the plugin starts. */
export function readAccessRequestsConfig(config: Config): AccessRequestsConfig {
  const read = (key: string, fallback: HumanDuration, allowZero: boolean) => {
    const path = `dataflex.accessRequests.${key}`;
    const value = config.has(path)
      ? readDurationFromConfig(config, { key: path })
      : fallback;
    const ms = durationToMilliseconds(value);
    if (ms < 0 || (!allowZero && ms === 0)) {
      throw new Error(
        `Invalid config at ${path}: must be ${
          allowZero ? 'zero or longer' : 'longer than zero'
        }`,
      );
    }
    return value;
  };
  return {
    cooldown: read('cooldown', { days: 1 }, true),
    expiryFrequency: read('expiry.frequency', { minutes: 5 }, false),
  };
}
