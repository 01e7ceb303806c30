import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { DEFAULT_NAMESPACE } from '@backstage/catalog-model';
import { authProvidersExtensionPoint } from '@backstage/plugin-auth-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readLocalProviderConfig } from './config/readLocalProviderConfig';
import { DatabaseLocalAuthStore } from './database/DatabaseLocalAuthStore';
import { ScryptPasswordHasher } from './password/ScryptPasswordHasher';
import { createRouter } from './service/createRouter';
import { LocalAccounts } from './service/LocalAccounts';
import { LocalAuthProvider } from './service/LocalAuthProvider';
import { LocalSessions } from './service/LocalSessions';
import { LoginThrottle } from './service/LoginThrottle';

/**
 * DataFlex local accounts for the auth backend: the `local` sign-in
 * provider, active when `auth.providers.local` is configured.
 *
 * @public
 */
export const authModuleDataflexLocalProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'dataflex-local-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({
        providers,
        config,
        logger,
        database,
        httpRouter,
        auditor,
        scheduler,
        discovery,
        auth,
        catalog,
      }) {
        const options = readLocalProviderConfig(config);
        if (!options) {
          return;
        }

        const store = await DatabaseLocalAuthStore.create({ database });
        const throttle = LoginThrottle.create({
          store,
          policies: options.lockout,
        });
        const accounts = LocalAccounts.create({
          store,
          hasher: ScryptPasswordHasher.create(),
          throttle,
          minPasswordLength: options.registration.minPasswordLength,
          isCatalogUser: async username => {
            const entity = await catalog.getEntityByRef(
              { kind: 'User', namespace: DEFAULT_NAMESPACE, name: username },
              { credentials: await auth.getOwnServiceCredentials() },
            );
            return entity !== undefined;
          },
        });
        const sessions = LocalSessions.create({
          store,
          durationMs: options.sessionDurationMs,
          authBaseUrl: await discovery.getExternalBaseUrl('auth'),
        });
        const provider = LocalAuthProvider.create({
          accounts,
          sessions,
          auditor,
        });

        providers.registerProvider({
          providerId: 'local',
          factory: provider.factory,
        });
        httpRouter.use(
          createRouter({
            provider,
            accounts,
            sessions,
            auditor,
            registrationEnabled: options.registration.enabled,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/local', allow: 'unauthenticated' });

        if (options.demoAccounts) {
          const created = await accounts.seedDemoAccounts(options.demoAccounts);
          logger.warn(
            `Local sign-in has demo accounts with a published password (${options.demoAccounts.users.length} users, ${created.length} created now); for local development only`,
          );
        }

        await scheduler.scheduleTask({
          id: 'dataflex-local-auth-cleanup',
          frequency: { hours: 1 },
          timeout: { minutes: 5 },
          initialDelay: { minutes: 1 },
          scope: 'global',
          fn: async () => {
            const now = new Date();
            await store.deleteExpired(
              now,
              new Date(now.getTime() - throttle.longestWindowMs),
            );
          },
        });
      },
    });
  },
});
