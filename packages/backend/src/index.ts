import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

// Serves the built frontend from packages/app on the backend's own port.
backend.add(import('@backstage/plugin-app-backend'));

// Sign-in. Local accounts (plugins/auth-backend-module-dataflex-local-provider)
// are the embedded default; production signs in through OIDC or GitHub, see
// app-config.production.yaml. Each provider is active only when configured.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(
  import(
    '@dataflex/backstage-plugin-auth-backend-module-dataflex-local-provider'
  ),
);
backend.add(import('@backstage/plugin-auth-backend-module-oidc-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));

// Catalog of services, datasets, teams and users, with DataFlex's Dataset kind.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(
  import('@dataflex/backstage-plugin-catalog-backend-module-dataflex'),
);

// RBAC: admin / owner / viewer (plugins/permission-backend-module-dataflex).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@dataflex/backstage-plugin-permission-backend-module-dataflex'),
);

// Search: in-memory engine on SQLite, PostgreSQL's full-text engine in production.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-user-settings-backend'));

backend.add(import('@dataflex/backstage-plugin-dataflex-backend'));
// Publishes DataFlex's events to Kafka when dataflex.events.kafka is set
// (app-config.production.yaml); without it, events stay in Backstage.
backend.add(import('@dataflex/backstage-plugin-dataflex-backend-module-kafka'));

backend.start();
