import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { createTestDatabases } from '../database/__testUtils__/testDatabases';
import {
  DATA_PLATFORM,
  OWNER,
  startDataflexTestBackend,
} from '../__testUtils__/startDataflexTestBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'concurrent uploads (%s)',
  databaseId => {
    let dir: string;

    beforeEach(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-concurrent-'));
    });

    afterEach(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('numbers 20 parallel uploads to one dataset 1 to 20, without gaps or duplicates', async () => {
      const { server } = await startDataflexTestBackend({
        blobDirectory: dir,
        knex: await databases.init(databaseId),
      });
      const auth = mockCredentials.user.header(OWNER);
      await request(server)
        .post('/api/dataflex/datasets')
        .set('Authorization', auth)
        .send({ name: 'events', owner: DATA_PLATFORM });

      const uploads = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          request(server)
            .post('/api/dataflex/datasets/default/events/versions')
            .set('Authorization', auth)
            .field('changeNote', `upload ${i}`)
            .attach(
              'file',
              Buffer.from(`id,batch\n${i},${'x'.repeat(i)}\n`),
              `events-${i}.csv`,
            ),
        ),
      );

      expect(uploads.map(u => u.status)).toEqual(Array(20).fill(201));
      expect(uploads.map(u => u.body.version).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      const list = await request(server)
        .get('/api/dataflex/datasets/default/events/versions')
        .set('Authorization', auth);
      expect(list.body.items.map((v: any) => v.version)).toEqual(
        Array.from({ length: 20 }, (_, i) => 20 - i),
      );
      // Each number went to exactly one upload's content.
      for (const upload of uploads) {
        const version = await request(server)
          .get(
            `/api/dataflex/datasets/default/events/versions/${upload.body.version}`,
          )
          .set('Authorization', auth);
        expect(version.body.sha256).toBe(upload.body.sha256);
        expect(version.body.changeNote).toBe(upload.body.changeNote);
      }
    });
  },
);
