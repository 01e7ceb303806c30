import fs from 'node:fs/promises';
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
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import permissionBackendPlugin from '@backstage/plugin-permission-backend';
import { JsonObject } from '@backstage/types';
import permissionModuleDataflex from '@dataflex/backstage-plugin-permission-backend-module-dataflex';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { dataflexPlugin } from '../plugin';
import { createManualScheduler } from './manualScheduler';
import { testAuthServiceFactory } from './testAuthServiceFactory';
import { organisationEntities, TestOrganisation } from './testOrganisation';
import {
  TEST_ADMIN,
  testPermissionPolicyModule,
} from './testPermissionPolicyModule';
import { testUserInfoServiceFactory } from './testUserInfoServiceFactory';

/** Users and groups of the default test organisation. */
export const OWNER = 'user:default/olivia';
export const VIEWER = 'user:default/victor';
export const ADMIN = TEST_ADMIN;
export const DATA_PLATFORM = 'group:default/data-platform';
export const MARKETING = 'group:default/marketing';

const defaultOrganisation: TestOrganisation = {
  groups: { [DATA_PLATFORM]: {}, [MARKETING]: {} },
  users: { [OWNER]: [DATA_PLATFORM], [VIEWER]: [MARKETING], [ADMIN]: [] },
};

/** The Authorization header of a signed-in user's token. */
export const asUser = (userEntityRef: string) =>
  mockCredentials.user.header(userEntityRef);

/**
 * The Authorization header of a token the catalog backend would send to
 * DataFlex with its own service credentials.
 */
export const asCatalogService = () =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service('plugin:catalog'),
    targetPluginId: 'dataflex',
  });

/** What the recording auditor saw. */
export interface RecordedAuditEvent {
  eventId: string;
  severityLevel?: string;
  meta?: JsonObject;
  status: 'initiated' | 'succeeded' | 'failed';
  error?: string;
}

export interface DataflexPortalFeaturesOptions {
  /** Whose sign-in is simulated, and what the catalog says of them. */
  organisation: TestOrganisation;
  /** More catalog entities: datasets, services… */
  entities?: Entity[];
  /**
   * `rbac`: DataFlex's own policy, which reads its admins from
   * `dataflex.rbac.admins` and resolves nested groups through the catalog.
   * `test`: a small stand-in policy (testPermissionPolicyModule).
   */
  policy: 'rbac' | 'test';
  /** Adds the real notifications backend, which access requests notify. */
  notifications?: boolean;
}

/**
 * The portal minus sign-in: DataFlex, the real permission backend with
 * `policy`, a catalog holding the organisation and `entities`, and tokens
 * and ownership as the catalog sign-in resolvers would issue them (users
 * own what they and their direct groups own).
 */
export function dataflexPortalFeatures(options: DataflexPortalFeaturesOptions) {
  return [
    dataflexPlugin,
    permissionBackendPlugin,
    options.policy === 'rbac'
      ? permissionModuleDataflex
      : testPermissionPolicyModule,
    ...(options.notifications ? [notificationsPlugin] : []),
    testAuthServiceFactory,
    testUserInfoServiceFactory(options.organisation.users),
    catalogServiceMock.factory({
      entities: [
        ...organisationEntities(options.organisation),
        ...(options.entities ?? []),
      ],
    }),
  ];
}

export interface DataflexTestBackendOptions {
  blobDirectory: string;
  /**
   * Users and groups; by default OWNER in DATA_PLATFORM, VIEWER in
   * MARKETING and ADMIN. Tests may change a user's groups while running.
   */
  organisation?: TestOrganisation;
  /** More catalog entities: datasets, services… */
  entities?: Entity[];
  /**
   * With it, DataFlex's own RBAC policy with these `dataflex.rbac.admins`
   * (user or group refs); without, the small test policy, under which ADMIN
   * may do everything.
   */
  rbacAdmins?: string[];
  /** Adds the real notifications backend. */
  notifications?: boolean;
  /**
   * Scheduled tasks run only when the test calls `runTask`, instead of once
   * at startup.
   */
  manualTasks?: boolean;
  /** DataFlex's database; other plugins get in-memory SQLite of their own. */
  knex?: Knex;
  /** More `dataflex` config, next to `rbac` and `storage`. */
  dataflexConfig?: JsonObject;
  /** More features, e.g. DataFlex modules. */
  features?: BackendFeature[];
}

/**
 * A backend with DataFlex and the real permission backend (see
 * {@link dataflexPortalFeatures}), local blob storage in `blobDirectory`,
 * an auditor that records audit events and an events service that records
 * what is published.
 */
export async function startDataflexTestBackend(
  options: DataflexTestBackendOptions,
) {
  const auditEvents: RecordedAuditEvent[] = [];
  const publishedEvents: EventParams[] = [];
  const scheduler = options.manualTasks ? createManualScheduler() : undefined;
  const { server } = await startTestBackend({
    features: [
      ...dataflexPortalFeatures({
        organisation: options.organisation ?? defaultOrganisation,
        entities: options.entities,
        policy: options.rbacAdmins ? 'rbac' : 'test',
        notifications: options.notifications,
      }),
      // The mock's default would treat a request without a token as a user's.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      recordingAuditorFactory(auditEvents),
      recordingEventsFactory(publishedEvents),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          permission: { enabled: true },
          dataflex: {
            ...(options.rbacAdmins && {
              rbac: { admins: options.rbacAdmins },
            }),
            storage: {
              type: 'local',
              local: { directory: options.blobDirectory },
            },
            ...options.dataflexConfig,
          },
        },
      }),
      ...(options.knex ? [databaseFactory(options.knex)] : []),
      ...(scheduler ? [scheduler.factory] : []),
      ...(options.features ?? []),
    ],
  });

  /** Creates a dataset as `user`; throws unless it was created. */
  async function createDataset(user: string, body: JsonObject) {
    const res = await request(server)
      .post('/api/dataflex/datasets')
      .set('Authorization', asUser(user))
      .send(body);
    if (res.status !== 201) {
      throw new Error(`Creating a dataset answered ${res.status}: ${res.text}`);
    }
    return res.body;
  }

  /**
   * Uploads `content` as the next version of `dataset`, as `user`; throws
   * unless it was published.
   */
  async function uploadVersion(user: string, dataset: string, content: string) {
    const res = await request(server)
      .post(`/api/dataflex/datasets/default/${dataset}/versions`)
      .set('Authorization', asUser(user))
      .attach('file', Buffer.from(content), `${dataset}.csv`);
    if (res.status !== 201) {
      throw new Error(`Upload answered ${res.status}: ${res.text}`);
    }
    return res.body as { version: number; createdAt: string };
  }

  /** Runs a scheduled task's function once, as the scheduler would. */
  async function runTask(id: string) {
    if (!scheduler) {
      throw new Error('Tasks run on their own unless manualTasks is set');
    }
    await scheduler.runTask(id);
  }

  return {
    server,
    auditEvents,
    publishedEvents,
    createDataset,
    uploadVersion,
    runTask,
  };
}

/** Files the local blob store holds: complete blobs and temporary leftovers. */
export async function storedFiles(blobDirectory: string) {
  const list = async (dir: string): Promise<string[]> => {
    const entries = await fs
      .readdir(dir, { withFileTypes: true, recursive: true })
      .catch(() => []);
    return entries.filter(e => e.isFile()).map(e => e.name);
  };
  return {
    blobs: await list(path.join(blobDirectory, 'blobs')),
    temporary: await list(path.join(blobDirectory, 'tmp')),
  };
}

/** DataFlex gets `knex`; other plugins in-memory SQLite of their own. */
function databaseFactory(knex: Knex) {
  return createServiceFactory({
    service: coreServices.database,
    deps: { plugin: coreServices.pluginMetadata },
    async factory({ plugin }) {
      const client =
        plugin.getId() === 'dataflex'
          ? knex
          : knexFactory({
              client: 'better-sqlite3',
              connection: ':memory:',
              useNullAsDefault: true,
            });
      return { getClient: async () => client };
    },
  });
}

function recordingAuditorFactory(events: RecordedAuditEvent[]) {
  return createServiceFactory({
    service: coreServices.auditor,
    deps: {},
    factory: () => ({
      async createEvent(options) {
        const event: RecordedAuditEvent = {
          eventId: options.eventId,
          severityLevel: options.severityLevel,
          meta: options.meta,
          status: 'initiated',
        };
        events.push(event);
        return {
          async success(result) {
            event.status = 'succeeded';
            event.meta = { ...event.meta, ...result?.meta };
          },
          async fail(result) {
            event.status = 'failed';
            event.error = result.error.message;
          },
        };
      },
    }),
  });
}

function recordingEventsFactory(published: EventParams[]) {
  return createServiceFactory({
    service: eventsServiceRef,
    deps: {},
    factory: () => ({
      async publish(params: EventParams) {
        published.push(params);
      },
      async subscribe() {},
    }),
  });
}
