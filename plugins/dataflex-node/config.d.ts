export interface Config {
  dataflex?: {
    sharing?: {
      /**
       * Keys the opaque references to grant holders in the `sharedWith`
       * relations of private datasets, so that people who may read such a
       * dataset cannot tell who else holds a grant on it. At least 32
       * characters, the same on every instance; changing it hides private
       * datasets from their grant holders until the catalog has processed
       * them again. Required in production (NODE_ENV or auth.environment
       * `production`); elsewhere a published development-only secret is used
       * when it is missing.
       * @visibility secret
       */
      secret?: string;
    };
  };
}
