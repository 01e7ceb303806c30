import { createHmac } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * The kind of the opaque refs that stand for grantees in `sharedWith`
 * relations. No entity of this kind exists.
 *
 * @public
 */
export const DATASET_GRANTEE_KEY_KIND = 'DataflexGrantee';

const CONFIG_KEY = 'dataflex.sharing.secret';
const MIN_SECRET_LENGTH = 32;
// Versioned, so that a different derivation later cannot collide with this one.
const DOMAIN = 'dataflex.io/sharedWith/v1\n';

/**
 * Published in the source: anyone who has it can tell who holds grants from
 * a dataset's relations, so it is refused in production.
 */
const DEVELOPMENT_SECRET =
  'dataflex-development-only-sharing-secret-never-use-in-production';

/** @public */
export interface DatasetSharingKeysOptions {
  logger?: LoggerService;
  /** Where NODE_ENV is read; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Derives the opaque key that stands for a user or group in the `sharedWith`
 * relations of private datasets: `dataflexgrantee:default/<hex>`, the first
 * 128 bits of an HMAC-SHA256 of the grantee's lower-case entity ref, keyed
 * with `dataflex.sharing.secret`.
 *
 * Whoever may read a private dataset (its grant holders among them) reads its
 * relations, and the catalog has no field-level permissions; with these keys
 * they learn how many grantees there are, but not who. The key is keyed
 * rather than a plain hash, which anyone could reverse by hashing every user
 * and group of the catalog. It is the same for one grantee on every dataset,
 * because the catalog's read rule for grant holders must be one filter on
 * `relations.sharedWith` over all entities, computed from the user's claims
 * alone.
 *
 * @public
 */
export class DatasetSharingKeys {
  /**
   * Reads `dataflex.sharing.secret`. Outside production (`NODE_ENV` and
   * `auth.environment` both other than `production`) a missing secret falls
   * back to a published development-only one, with a warning.
   *
   * @throws when the secret is missing in production, or shorter than 32
   *   characters.
   */
  static fromConfig(
    config: Config,
    options: DatasetSharingKeysOptions = {},
  ): DatasetSharingKeys {
    const env = options.env ?? process.env;
    const secret = config.getOptionalString(CONFIG_KEY);
    if (secret !== undefined) {
      if (secret.length < MIN_SECRET_LENGTH) {
        throw new Error(
          `${CONFIG_KEY} must be at least ${MIN_SECRET_LENGTH} characters long, e.g. the output of 'openssl rand -hex 32'`,
        );
      }
      return new DatasetSharingKeys(secret);
    }
    const authEnvironment =
      config.getOptionalString('auth.environment') ?? 'development';
    if (authEnvironment === 'production' || env.NODE_ENV === 'production') {
      throw new Error(
        `${CONFIG_KEY} is not set. DataFlex keys the opaque references to grant holders in the catalog with it, ` +
          `so that people who may read a private dataset cannot tell who else holds a grant on it. ` +
          `Set it to a random value of at least ${MIN_SECRET_LENGTH} characters, the same on every instance ` +
          `(app-config.production.yaml reads DATAFLEX_SHARING_SECRET); ` +
          `here auth.environment=${authEnvironment} and NODE_ENV=${
            env.NODE_ENV ?? ''
          }.`,
      );
    }
    options.logger?.warn(
      `${CONFIG_KEY} is not set; using the published development-only secret, with which anyone can tell ` +
        `who holds grants on a private dataset from its catalog relations. Set it outside local development.`,
    );
    return new DatasetSharingKeys(DEVELOPMENT_SECRET);
  }

  private constructor(private readonly secret: string) {}

  /** The opaque key of a user or group, e.g. `user:default/jane`. */
  granteeKeyOf(granteeRef: string): CompoundEntityRef {
    // Lower case, like the grants DataFlex reads and the claims it checks.
    const canonical = stringifyEntityRef(parseEntityRef(granteeRef));
    const digest = createHmac('sha256', this.secret)
      .update(DOMAIN)
      .update(canonical)
      .digest('hex');
    return {
      kind: DATASET_GRANTEE_KEY_KIND,
      namespace: 'default',
      name: digest.slice(0, 32),
    };
  }

  /**
   * The keys of the given users and groups as entity refs (lower case), in
   * the form the catalog keeps relation targets.
   */
  granteeKeyRefsOf(granteeRefs: string[]): string[] {
    return granteeRefs.map(ref => stringifyEntityRef(this.granteeKeyOf(ref)));
  }
}
