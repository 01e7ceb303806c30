import {
  BackendFeature,
  coreServices,
  createServiceFactory,
  SchedulerServiceTaskInvocationDefinition,
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
import { dataflexPlugin } from '../../plugin';
import { testAuthServiceFactory } from '../../__testUtils__/testAuthServiceFactory';
import { testUserInfoServiceFactory } from '../../__testUtils__/testUserInfoServiceFactory';

/** The test organisation: two owners, outsiders, an ML team and an admin. */
export const ANIL = 'user:default/anil';
export const PRIYA = 'user:default/priya';
export const STUDENT = 'user:default/student';
export const CARLOS = 'user:default/carlos';
export const MEI = 'user:default/mei';
export const ADMIN = 'user:default/admin';

const DATA_PLATFORM = 'group:default/data-platform';
const PAYMENTS = 'group:default/payments-data';
const STUDENTS = 'group:default/students';
const ML = 'group:default/ml-platform';
const ADMINS = 'group:default/portal-admins';

/** Who belongs to which group; tests may change it while running. */
export const memberships: Record<string, string[]> = {
  [ANIL]: [DATA_PLATFORM],
  [PRIYA]: [DATA_PLATFORM],
  [STUDENT]: [STUDENTS],
  [CARLOS]: [PAYMENTS],
  [MEI]: [ML],
  [ADMIN]: [ADMINS],
};

function group(ref: string): Entity {
  const name = ref.split('/')[1];
  const members = Object.entries(memberships)
    .filter(([, groups]) => groups.includes(ref))
    .map(([member]) => member);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: members.map(targetRef => ({ type: 'hasMember', targetRef })),
  };
}

function user(ref: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: ref.split('/')[1], namespace: 'default' },
    spec: { memberOf: memberships[ref] },
    relations: memberships[ref].map(targetRef => ({
      type: 'memberOf',
      targetRef,
    })),
  };
}

/** Users and groups of the test organisation, as the catalog has them. */
export const orgEntities: Entity[] = [
  ...[DATA_PLATFORM, PAYMENTS, STUDENTS, ML, ADMINS].map(group),
  ...Object.keys(memberships).map(user),
];

export const as = (userRef: string) => mockCredentials.user.header(userRef);

/** What the recording auditor saw. */
export interface RecordedAudit {
  eventId: string;
  severityLevel?: string;
  meta?: JsonObject;
  status: 'initiated' | 'succeeded' | 'failed';
}

/**
 * A backend with DataFlex, the real permission backend with DataFlex's own
 * RBAC policy (`dataflex.rbac.admins`: portal-admins), the real
 * notifications backend, a catalog holding the test organisation and
 * `entities`, local blob storage, a recording auditor, a recording events
 * service (which also carries the signals) and a scheduler that runs tasks
 * only when told to.
 */
export async function startAccessTestBackend(options: {
  blobDirectory: string;
  entities?: Entity[];
  knex: Knex;
  accessRequests?: JsonObject;
  /** More features (DataFlex modules) and `dataflex` config for them. */
  features?: BackendFeature[];
  dataflexConfig?: JsonObject;
}) {
  const audits: RecordedAudit[] = [];
  const published: EventParams[] = [];
  // Scheduled tasks run only when a test runs them.
  const tasks = new Map<string, () => Promise<unknown>>();
  const backend = await startTestBackend({
    features: [
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => {
          const keep = async (
            task: SchedulerServiceTaskInvocationDefinition,
          ) => {
            tasks.set(task.id, () =>
              Promise.resolve(task.fn(new AbortController().signal)),
            );
          };
          return mockServices.scheduler.mock({
            scheduleTask: keep,
            createScheduledTaskRunner: () => ({ run: keep }),
          });
        },
      }),
      dataflexPlugin,
      permissionBackendPlugin,
      permissionModuleDataflex,
      notificationsPlugin,
      testAuthServiceFactory,
      testUserInfoServiceFactory(memberships),
      catalogServiceMock.factory({
        entities: [...orgEntities, ...(options.entities ?? [])],
      }),
      createServiceFactory({
        service: coreServices.auditor,
        deps: {},
        factory: () => ({
          async createEvent(event) {
            const recorded: RecordedAudit = {
              eventId: event.eventId,
              severityLevel: event.severityLevel,
              meta: event.meta,
              status: 'initiated',
            };
            audits.push(recorded);
            return {
              async success(result) {
                recorded.status = 'succeeded';
                recorded.meta = { ...recorded.meta, ...result?.meta };
              },
              async fail() {
                recorded.status = 'failed';
              },
            };
          },
        }),
      }),
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => ({
          async publish(params: EventParams) {
            published.push(params);
          },
          async subscribe() {},
        }),
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          permission: { enabled: true },
          dataflex: {
            rbac: { admins: [ADMINS] },
            storage: {
              type: 'local',
              local: { directory: options.blobDirectory },
            },
            ...(options.accessRequests && {
              accessRequests: options.accessRequests,
            }),
            ...options.dataflexConfig,
          },
        },
      }),
      // DataFlex gets the database under test; other plugins in-memory
      // SQLite of their own.
      createServiceFactory({
        service: coreServices.database,
        deps: { plugin: coreServices.pluginMetadata },
        async factory({ plugin }) {
          const client =
            plugin.getId() === 'dataflex'
              ? options.knex
              : knexFactory({
                  client: 'better-sqlite3',
                  connection: ':memory:',
                  useNullAsDefault: true,
                });
          return { getClient: async () => client };
        },
      }),
      ...(options.features ?? []),
    ],
  });
  const { server } = backend;

  /** Uploads `content` as the next version, as `uploader`. */
  async function upload(
    dataset: string,
    content: string,
    uploader = ANIL,
  ): Promise<number> {
    const res = await request(server)
      .post(`/api/dataflex/datasets/default/${dataset}/versions`)
      .set('Authorization', as(uploader))
      .attach('file', Buffer.from(content), `${dataset}.csv`);
    if (res.status !== 201) {
      throw new Error(`Upload answered ${res.status}: ${res.text}`);
    }
    return res.body.version;
  }

  /** Runs the grant expiry task's function once, as the scheduler would. */
  const runExpiryTask = async () => {
    const run = tasks.get('dataflex-access-grant-expiry');
    if (!run) {
      throw new Error('The grant expiry task was not scheduled');
    }
    await run();
  };

  return { server, audits, published, upload, runExpiryTask };
}
