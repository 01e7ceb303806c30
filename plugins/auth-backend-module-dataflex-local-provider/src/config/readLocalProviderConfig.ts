import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { isValidUsername } from '../service/usernames';

/** How many failures within which window lock a subject out, and for how long. */
export interface LockoutPolicy {
  maxFailures: number;
  windowMs: number;
  durationMs: number;
}

export interface LocalProviderConfig {
  sessionDurationMs: number;
  registration: { enabled: boolean; minPasswordLength: number };
  lockout: { account: LockoutPolicy; ip: LockoutPolicy };
  demoAccounts?: { password: string; users: string[] };
}

const CONFIG_KEY = 'auth.providers.local';

const DEFAULT_ACCOUNT_LOCKOUT = {
  maxFailures: 5,
  window: { minutes: 15 },
  duration: { minutes: 15 },
};
// Several people may share one address (an office, a VPN), so the address
// limit is looser than the per-account one.
const DEFAULT_IP_LOCKOUT = {
  maxFailures: 20,
  window: { minutes: 15 },
  duration: { minutes: 15 },
};

/**
 * Reads `auth.providers.local` and applies the start guards. Returns
 * undefined when the provider is not configured.
 *
 * @throws when the provider is configured for production without
 *   `dangerouslyAllowOutsideDevelopment`, or demo accounts are configured
 *   anywhere but in development.
 */
export function readLocalProviderConfig(
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
): LocalProviderConfig | undefined {
  const local = config.getOptionalConfig(CONFIG_KEY);
  if (!local) {
    return undefined;
  }

  const authEnvironment =
    config.getOptionalString('auth.environment') ?? 'development';
  const isProduction =
    authEnvironment === 'production' || env.NODE_ENV === 'production';
  if (
    isProduction &&
    local.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') !== true
  ) {
    throw new Error(
      `The DataFlex local sign-in provider (${CONFIG_KEY}) refuses to run in production ` +
        `(auth.environment=${authEnvironment}, NODE_ENV=${
          env.NODE_ENV ?? ''
        }). ` +
        `Sign in through an SSO provider instead, remove ${CONFIG_KEY}, or set ` +
        `${CONFIG_KEY}.dangerouslyAllowOutsideDevelopment: true if you really mean it.`,
    );
  }

  let demoAccounts: LocalProviderConfig['demoAccounts'];
  const demo = local.getOptionalConfig('demoAccounts');
  if (demo) {
    const isDevelopment =
      env.NODE_ENV === 'development' && authEnvironment === 'development';
    if (!isDevelopment) {
      throw new Error(
        `${CONFIG_KEY}.demoAccounts creates accounts with a published password and is only ` +
          `allowed in local development (NODE_ENV=development, auth.environment unset or ` +
          `development); here NODE_ENV=${
            env.NODE_ENV ?? ''
          } and auth.environment=` +
          `${authEnvironment}. Remove ${CONFIG_KEY}.demoAccounts from this configuration.`,
      );
    }
    const users = demo.getStringArray('users').map(u => u.toLocaleLowerCase());
    const invalid = users.filter(u => !isValidUsername(u));
    if (invalid.length) {
      throw new Error(
        `${CONFIG_KEY}.demoAccounts.users contains names that are not valid catalog entity names: ${invalid.join(
          ', ',
        )}`,
      );
    }
    demoAccounts = { password: demo.getString('password'), users };
  }

  return {
    sessionDurationMs: readDuration(local, 'sessionDuration', { hours: 12 }),
    registration: {
      enabled: local.getOptionalBoolean('registration.enabled') ?? false,
      minPasswordLength: positiveInteger(
        local,
        'registration.minPasswordLength',
        12,
      ),
    },
    lockout: {
      account: readLockoutPolicy(
        local,
        'lockout.account',
        DEFAULT_ACCOUNT_LOCKOUT,
      ),
      ip: readLockoutPolicy(local, 'lockout.ip', DEFAULT_IP_LOCKOUT),
    },
    demoAccounts,
  };
}

function readLockoutPolicy(
  config: Config,
  key: string,
  defaults: {
    maxFailures: number;
    window: HumanDuration;
    duration: HumanDuration;
  },
): LockoutPolicy {
  return {
    maxFailures: positiveInteger(
      config,
      `${key}.maxFailures`,
      defaults.maxFailures,
    ),
    windowMs: readDuration(config, `${key}.window`, defaults.window),
    durationMs: readDuration(config, `${key}.duration`, defaults.duration),
  };
}

function readDuration(
  config: Config,
  key: string,
  fallback: HumanDuration,
): number {
  const ms = durationToMilliseconds(
    config.has(key) ? readDurationFromConfig(config, { key }) : fallback,
  );
  if (!(ms > 0)) {
    throw new Error(`${CONFIG_KEY}.${key} must be a positive duration`);
  }
  return ms;
}

function positiveInteger(
  config: Config,
  key: string,
  fallback: number,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${CONFIG_KEY}.${key} must be a positive whole number`);
  }
  return value;
}
