import fs from 'node:fs/promises';
import path from 'node:path';
import {
  BackendFeature,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import permissionBackendPlugin from '@backstage/plugin-permission-backend';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { dataflexPlugin } from '../plugin';
import { testAuthServiceFactory } from './testAuthServiceFactory';
import { testPermissionPolicyModule } from './testPermissionPolicyModule';
import { testUserInfoServiceFactory } from './testUserInfoServiceFactory';

/** Users of the test organisation. */
export const OWNER = 'user:default/olivia';
export const VIEWER = 'user:default/victor';
export { TEST_ADMIN as ADMIN } from './testPermissionPolicyModule';

export const DATA_PLATFORM = 'group:default/data-platform';
export const MARKETING = 'group:default/marketing';

/** What the recording auditor saw. */
export interface RecordedAuditEvent {
  eventId: string;
  severityLevel?: string;
  meta?: JsonObject;
  status: 'initiated' | 'succeeded' | 'failed';
  error?: string;
}

export interface DataflexTestBackendOptions {
  blobDirectory: string;
  entities?: Entity[];
  dataflexConfig?: JsonObject;
  knex?: Knex;
  /** More features, e.g. DataFlex modules. */
  features?: BackendFeature[];
}

/**
 * A backend with the DataFlex plugin, the real permission backend with a
 * small test policy, a catalog holding `entities`, local blob storage in
 * `blobDirectory`, an auditor that records audit events and an events
 * service that records what is published.
 */
export async function startDataflexTestBackend(
  options: DataflexTestBackendOptions,
) {
  const auditEvents: RecordedAuditEvent[] = [];
  const publishedEvents: EventParams[] = [];
  const { server } = await startTestBackend({
    features: [
      dataflexPlugin,
      permissionBackendPlugin,
      testPermissionPolicyModule,
      testAuthServiceFactory,
      testUserInfoServiceFactory({
        [OWNER]: [DATA_PLATFORM],
        [VIEWER]: [MARKETING],
      }),
      catalogServiceMock.factory({ entities: options.entities ?? [] }),
      recordingAuditorFactory(auditEvents),
      recordingEventsFactory(publishedEvents),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          dataflex: {
            storage: {
              type: 'local',
              local: { directory: options.blobDirectory },
            },
            ...options.dataflexConfig,
          },
        },
      }),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      ...(options.features ?? []),
    ],
  });
  return { server, auditEvents, publishedEvents };
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
