import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  BackendFeature,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { JsonObject } from '@backstage/types';
// The module is tested against the real DataFlex backend, not a fake.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import dataflexPlugin from '@dataflex/backstage-plugin-dataflex-backend';
import permissionModuleDataflex from '@dataflex/backstage-plugin-permission-backend-module-dataflex';
import { catalogModuleDataflex } from '../module';
import { recordingLogger } from './dataflexStandIn';

/** Options for {@link startDataflexCatalogBackend}. */
export interface StartDataflexCatalogBackendOptions {
  /** Catalog YAML, read by the catalog from a file location. */
  entities: string;
  /**
   * The groups of each signed-in user, standing in for sign-in's ownership
   * resolution.
   */
  memberships: Record<string, string[]>;
  /** `backend.database`; without it, the test backend's own database. */
  database?: JsonObject;
  /** `dataflex.sharing`, for tests of shared datasets. */
  sharing?: JsonObject;
  /** Plugins, modules and services beyond the catalog, DataFlex and permissions. */
  features?: BackendFeature[];
  /**
   * Config sections other than those this helper writes (`backend`,
   * `permission`, `events`, `dataflex` and `catalog`), such as `search`.
   */
  config?: JsonObject;
  /** Where every plugin's warnings and errors go, when a test reads them. */
  warnings?: string[];
}

/** A running backend from {@link startDataflexCatalogBackend}. */
export interface DataflexCatalogBackend {
  server: TestBackend['server'];
  /** The temporary directory with `entities.yaml` and DataFlex's blobs. */
  dir: string;
  /** Stops the backend and removes `dir`. */
  stop(): Promise<void>;
}

// Real on-behalf-of tokens name the plugin acting for the user (the actor),
// and the permission backend only answers conditional queries for such
// tokens. The mock HTTP auth drops the actor, so add it back. Mock tokens do
// not say which plugin sent them and no test reads the actor, only that
// there is one, so the receiving plugin stands in for it.
const httpAuthWithActors = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const inner = mockServices.httpAuth({ pluginId: plugin.getId() });
    return {
      async credentials(req: any, options?: any) {
        const credentials: any = await inner.credentials(req, options);
        const header: string = req.headers.authorization ?? '';
        if (credentials.principal.type === 'user' && header.includes('"obo"')) {
          return mockCredentials.user(credentials.principal.userEntityRef, {
            actor: { subject: `plugin:${plugin.getId()}` },
          });
        }
        return credentials;
      },
      issueUserCookie: (res: any, options?: any) =>
        inner.issueUserCookie(res, options),
    } as any;
  },
});

/**
 * Starts the catalog with this module next to the real DataFlex backend and
 * the permission backend with the DataFlex policy, so a test sees what a
 * signed-in user would: datasets created through DataFlex, published by the
 * module and filtered by the policy.
 */
export async function startDataflexCatalogBackend(
  options: StartDataflexCatalogBackendOptions,
): Promise<DataflexCatalogBackend> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-catalog-'));
  try {
    await fs.writeFile(path.join(dir, 'entities.yaml'), options.entities);
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleDataflex,
        dataflexPlugin,
        permissionPlugin,
        permissionModuleDataflex,
        eventsServiceFactory,
        userInfoWithMemberships(options.memberships),
        httpAuthWithActors,
        ...(options.warnings ? [rootLoggerInto(options.warnings)] : []),
        ...(options.features ?? []),
        mockServices.rootConfig.factory({
          data: {
            ...options.config,
            ...(options.database
              ? {
                  backend: {
                    baseUrl: 'http://localhost:7007',
                    database: options.database,
                  },
                }
              : {}),
            permission: { enabled: true },
            events: { useEventBus: 'never' },
            dataflex: {
              ...(options.sharing ? { sharing: options.sharing } : {}),
              rbac: { admins: ['group:default/portal-admins'] },
              storage: {
                type: 'local',
                local: { directory: path.join(dir, 'blobs') },
              },
            },
            catalog: {
              rules: [{ allow: ['Group', 'User', 'Dataset', 'Location'] }],
              locations: [
                { type: 'file', target: path.join(dir, 'entities.yaml') },
              ],
            },
          },
        }),
      ],
    });
    return {
      server: backend.server,
      dir,
      stop: async () => {
        try {
          await backend.stop();
        } finally {
          await fs.rm(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await fs.rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function userInfoWithMemberships(memberships: Record<string, string[]>) {
  return createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials: any) {
        const userEntityRef = credentials.principal.userEntityRef;
        return {
          userEntityRef,
          ownershipEntityRefs: [
            userEntityRef,
            ...(memberships[userEntityRef] ?? []),
          ],
        };
      },
    }),
  });
}

function rootLoggerInto(warnings: string[]) {
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => recordingLogger(warnings) as any,
  });
}
