export interface Config {
  auth?: {
    /** The app's sign-in page. */
    signInPage?: {
      /**
       * What the page offers, in order: `local` is the DataFlex username and
       * password form; `oidc` and `github` are buttons for those SSO
       * providers. Defaults to `[local]`.
       * @deepVisibility frontend
       */
      providers?: Array<'local' | 'oidc' | 'github'>;
    };
  };
}
