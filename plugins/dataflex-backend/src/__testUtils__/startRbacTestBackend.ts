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
import {
  Entity,
  parseEntityRef,
  RELATION_CHILD_OF,
  RELATION_HAS_MEMBER,
  RELATION_MEMBER_OF,
  RELATION_PARENT_OF,
} from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import permissionBackendPlugin from '@backstage/plugin-permission-backend';
import { JsonObject } from '@backstage/types';
import permissionModuleDataflex from '@dataflex/backstage-plugin-permission-backend-module-dataflex';
import knexFactory, { Knex } from 'knex';
import { dataflexPlugin } from '../plugin';
import { testAuthServiceFactory } from './testAuthServiceFactory';
import { testUserInfoServiceFactory } from './testUserInfoServiceFactory';

/**
 * A test organisation as the catalog holds it: groups, possibly nested, and
 * users with the groups they are direct members of.
 */
export interface TestOrganisation {
  /** Group refs, each with its parent group's ref if it has one. */
  groups: Record<string, { parent?: string }>;
  /** User refs, each with the refs of the groups they belong to directly. */
  users: Record<string, string[]>;
}

/** The Group and User entities of `organisation`, with their relations. */
export function organisationEntities(organisation: TestOrganisation): Entity[] {
  const { groups, users } = organisation;
  const name = (ref: string) => parseEntityRef(ref).name;
  const groupEntities = Object.entries(groups).map(([ref, { parent }]) => {
    const children = Object.entries(groups)
      .filter(([, group]) => group.parent === ref)
      .map(([child]) => child);
    const members = Object.entries(users)
      .filter(([, memberOf]) => memberOf.includes(ref))
      .map(([user]) => user);
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: name(ref), namespace: 'default' },
      spec: {
        type: 'team',
        children: children.map(name),
        ...(parent && { parent }),
      },
      relations: [
        ...(parent ? [{ type: RELATION_CHILD_OF, targetRef: parent }] : []),
        ...children.map(targetRef => ({ type: RELATION_PARENT_OF, targetRef })),
        ...members.map(targetRef => ({
          type: RELATION_HAS_MEMBER,
          targetRef,
        })),
      ],
    };
  });
  const userEntities = Object.entries(users).map(([ref, memberOf]) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: name(ref), namespace: 'default' },
    spec: { memberOf, profile: { displayName: name(ref) } },
    relations: memberOf.map(targetRef => ({
      type: RELATION_MEMBER_OF,
      targetRef,
    })),
  }));
  return [...groupEntities, ...userEntities];
}

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
export interface RecordedAudit {
  eventId: string;
  severityLevel?: string;
  meta?: JsonObject;
  status: 'initiated' | 'succeeded' | 'failed';
}

export interface RbacTestBackendOptions {
  organisation: TestOrganisation;
  /** `dataflex.rbac.admins`: user or group refs. */
  admins: string[];
  /** More catalog entities: datasets, services… */
  entities?: Entity[];
  /** DataFlex's database; other plugins get in-memory SQLite of their own. */
  knex: Knex;
  blobDirectory: string;
  /** More `dataflex` config, next to `rbac` and `storage`. */
  dataflexConfig?: JsonObject;
  /** More features, e.g. a scheduler the test drives itself. */
  features?: BackendFeature[];
}

/**
 * A backend as the portal runs it, minus sign-in: DataFlex, the real
 * permission backend with DataFlex's own RBAC policy, the real notifications
 * backend, a catalog holding the organisation (so the policy resolves nested
 * groups through it) and `entities`, local blob storage, a recording auditor
 * and a recording events service. Users own what they and their direct
 * groups own, as the catalog sign-in resolvers put it in their tokens.
 */
export async function startRbacTestBackend(options: RbacTestBackendOptions) {
  const audits: RecordedAudit[] = [];
  const published: EventParams[] = [];
  const backend = await startTestBackend({
    features: [
      dataflexPlugin,
      permissionBackendPlugin,
      permissionModuleDataflex,
      notificationsPlugin,
      testAuthServiceFactory,
      // The mock's default would treat a request without a token as a user's.
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      testUserInfoServiceFactory(options.organisation.users),
      catalogServiceMock.factory({
        entities: [
          ...organisationEntities(options.organisation),
          ...(options.entities ?? []),
        ],
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
            rbac: { admins: options.admins },
            storage: {
              type: 'local',
              local: { directory: options.blobDirectory },
            },
            ...options.dataflexConfig,
          },
        },
      }),
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
  return { server: backend.server, audits, published };
}
