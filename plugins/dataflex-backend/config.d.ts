export interface Config {
  /** Configuration of the DataFlex backend plugin. */
  dataflex?: {
    /** Where dataset content is stored. */
    storage?: {
      /**
       * The storage backend. `local` keeps blobs on the backend's disk.
       * @default local
       */
      type?: 'local';
      local?: {
        /**
         * Directory for blobs; relative paths resolve against the backend's
         * working directory.
         * @default dataflex-data/blobs
         */
        directory?: string;
      };
    };
  };
}
