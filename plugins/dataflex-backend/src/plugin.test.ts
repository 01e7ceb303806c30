import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  BlobStore,
  dataflexStorageExtensionPoint,
} from '@dataflex/backstage-plugin-dataflex-node';
import request from 'supertest';
import { dataflexPlugin } from './plugin';

describe('dataflex backend plugin', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-plugin-'));
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  function startBackend(
    extraFeatures: Parameters<typeof startTestBackend>[0]['features'] = [],
  ) {
    return startTestBackend({
      features: [
        dataflexPlugin,
        mockServices.rootConfig.factory({
          data: {
            dataflex: { storage: { type: 'local', local: { directory: dir } } },
          },
        }),
        ...extraFeatures,
      ],
    });
  }

  describe('GET /api/dataflex/health', () => {
    it('reports the database and the local blob store as healthy to a signed-in user', async () => {
      const { server } = await startBackend();

      const res = await request(server).get('/api/dataflex/health');

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        status: 'ok',
        checkedAt: expect.any(String),
        components: {
          database: {
            status: 'ok',
            kind: 'better-sqlite3',
            latencyMs: expect.any(Number),
          },
          storage: {
            status: 'ok',
            kind: 'local',
            latencyMs: expect.any(Number),
          },
        },
      });
    });

    it('answers other backend services', async () => {
      const { server } = await startBackend();
      const res = await request(server)
        .get('/api/dataflex/health')
        .set('Authorization', mockCredentials.service.header());
      expect(res.status).toBe(200);
    });

    it('refuses unauthenticated callers', async () => {
      const { server } = await startBackend();
      const res = await request(server)
        .get('/api/dataflex/health')
        .set('Authorization', mockCredentials.none.header());
      expect(res.status).toBe(401);
      expect(res.body.components).toBeUndefined();
    });

    it('answers 503 naming the failed component when storage is down', async () => {
      const { server } = await startBackend();
      await fs.rm(dir, { recursive: true, force: true });

      const res = await request(server).get('/api/dataflex/health');

      expect(res.status).toBe(503);
      expect(res.body.status).toBe('error');
      expect(res.body.components.database.status).toBe('ok');
      expect(res.body.components.storage).toMatchObject({
        status: 'error',
        kind: 'local',
        message: expect.stringContaining('ENOENT'),
      });
      // The failure names the error class, not the machine's paths.
      expect(JSON.stringify(res.body)).not.toContain(dir);
    });
  });

  describe('storage extension point', () => {
    it('uses a blob store provided by a backend module instead of the configured one', async () => {
      const checked: string[] = [];
      const customStore: BlobStore = {
        kind: 'custom',
        put: jest.fn(),
        open: jest.fn(),
        has: jest.fn(),
        delete: jest.fn(),
        list: jest.fn(),
        sweep: jest.fn(),
        check: async () => {
          checked.push('custom');
        },
      };
      const storageModule = createBackendModule({
        pluginId: 'dataflex',
        moduleId: 'custom-storage',
        register(reg) {
          reg.registerInit({
            deps: { storage: dataflexStorageExtensionPoint },
            async init({ storage }) {
              storage.setBlobStore(customStore);
            },
          });
        },
      });

      const { server } = await startBackend([storageModule]);
      const res = await request(server).get('/api/dataflex/health');

      expect(res.status).toBe(200);
      expect(res.body.components.storage.kind).toBe('custom');
      expect(checked).toEqual(['custom']);
    });
  });
});
