export interface Config {
  dataflex?: {
    /** The browse page (the portal's home). */
    browse?: {
      /**
       * Entity refs shown in the hero, e.g. `component:default/fraud-scoring-api`.
       * The first one the signed-in user can see is featured; without any,
       * the first public service with a demo is.
       *
       * @visibility frontend
       */
      featured?: string[];
      /**
       * Extra rows of cards below the built-in ones, one per tag or domain.
       * With both, a row shows what carries the tag within the domain.
       *
       * @visibility frontend
       */
      rows?: Array<{
        /**
         * The row's heading, also its accessible name.
         *
         * @visibility frontend
         */
        title: string;
        /**
         * Shows services and datasets carrying this tag.
         *
         * @visibility frontend
         */
        tag?: string;
        /**
         * Shows services and datasets of the systems in this domain, as an
         * entity ref (`domain:default/commerce`) or a name (`commerce`).
         *
         * @visibility frontend
         */
        domain?: string;
      }>;
    };
  };
}
