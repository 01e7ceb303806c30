import { HumanDuration } from '@backstage/types';

export interface Config {
  auth?: {
    providers?: {
      /**
       * DataFlex local accounts: username and password sign-in. The provider
       * is active when this key is present.
       */
      local?: {
        /**
         * The provider refuses to start when `auth.environment` or NODE_ENV is
         * `production`, unless this is true.
         */
        dangerouslyAllowOutsideDevelopment?: boolean;

        /**
         * How long a browser session started by the sign-in form lasts.
         * Defaults to 12 hours.
         */
        sessionDuration?: HumanDuration | string;

        /** Self-registration through `POST /api/auth/local/register`. */
        registration?: {
          /** Defaults to false: the route answers 403. */
          enabled?: boolean;
          /** Shortest password accepted on registration. Defaults to 12. */
          minPasswordLength?: number;
        };

        /**
         * Lockout after repeated failed sign-ins. Failures are counted per
         * user name tried and per client address (IPv6 addresses per /64);
         * reaching `maxFailures` within `window` refuses every attempt for
         * that user name or address for `duration`.
         */
        lockout?: {
          /** Defaults: 5 failures in 15 minutes lock for 15 minutes. */
          account?: {
            maxFailures?: number;
            window?: HumanDuration | string;
            duration?: HumanDuration | string;
          };
          /** Defaults: 20 failures in 15 minutes lock for 15 minutes. */
          ip?: {
            maxFailures?: number;
            window?: HumanDuration | string;
            duration?: HumanDuration | string;
          };
        };

        /**
         * Demo accounts created on start, for local development only: the
         * backend refuses to start with this outside development
         * (NODE_ENV=development and `auth.environment` unset or
         * `development`). Only missing accounts are created.
         */
        demoAccounts?: {
          /**
           * The password every demo account gets.
           * @visibility secret
           */
          password: string;
          /** User names; each signs in as user:default/<name>. */
          users: string[];
        };
      };
    };
  };
}
