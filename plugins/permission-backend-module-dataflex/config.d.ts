export interface Config {
  dataflex?: {
    rbac?: {
      /**
       * Entity refs of users or groups whose members are DataFlex admins,
       * e.g. `group:default/portal-admins`. Members of nested groups count.
       */
      admins?: string[];
    };
  };
}
