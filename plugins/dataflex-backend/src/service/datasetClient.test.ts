import fs from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import { DatasetClient } from '@dataflex/backstage-plugin-dataflex-common';
import {
  DATA_PLATFORM,
  OWNER,
  startDataflexTestBackend,
  VIEWER,
} from '../__testUtils__/startDataflexTestBackend';

jest.setTimeout(60_000);

describe('DatasetClient against the backend', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-client-'));
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function clientsFor(...users: string[]) {
    const { server } = await startDataflexTestBackend({ blobDirectory: dir });
    const { port } = server.address() as AddressInfo;
    const discoveryApi = {
      getBaseUrl: async (pluginId: string) =>
        `http://127.0.0.1:${port}/api/${pluginId}`,
    };
    return users.map(user =>
      DatasetClient.create({
        discoveryApi,
        fetchApi: {
          fetch: (input, init) =>
            fetch(input, {
              ...init,
              headers: {
                ...(init?.headers as Record<string, string>),
                authorization: mockCredentials.user.header(user),
              },
            }),
        },
      }),
    );
  }

  it('creates, uploads with FormData, lists, previews and links to content', async () => {
    const [client] = await clientsFor(OWNER);
    const ref = { namespace: 'default', name: 'orders' };

    const created = await client.createDataset({
      name: 'orders',
      owner: DATA_PLATFORM,
      visibility: 'open',
    });
    const version = await client.uploadVersion(
      ref,
      new Blob(['id,total\n1,9.5\n2,3\n']),
      { filename: 'orders.csv', changeNote: 'first' },
    );
    const versions = await client.listVersions(ref);
    const preview = await client.getPreview(ref, 'latest', { limit: 1 });
    const updated = await client.updateDataset(ref, { title: 'Orders' });
    const content = await fetch(await client.getContentUrl(ref, 1), {
      headers: { authorization: mockCredentials.user.header(OWNER) },
    });

    expect(created.access?.createVersion).toBe(true);
    expect(version).toMatchObject({
      version: 1,
      rowCount: 2,
      changeNote: 'first',
    });
    expect(versions.items).toEqual([version]);
    expect(await client.getVersion(ref, 1)).toEqual(version);
    expect(preview.rows).toEqual([[1, 9.5]]);
    expect(updated.title).toBe('Orders');
    expect((await client.listDatasets()).items.map(d => d.name)).toEqual([
      'orders',
    ]);
    const byRefs = await client.listDatasets({
      refs: ['dataset:default/orders', 'dataset:default/nothing'],
    });
    expect(byRefs.items.map(d => [d.name, d.latestVersion])).toEqual([
      ['orders', 1],
    ]);
    expect(await content.text()).toBe('id,total\n1,9.5\n2,3\n');

    await client.deleteDataset(ref);
    await expect(client.getDataset(ref)).rejects.toMatchObject({
      name: 'ResponseError',
      response: { status: 404 },
    });
  });

  it('throws the backend’s error as a ResponseError', async () => {
    const [owner, viewer] = await clientsFor(OWNER, VIEWER);
    await owner.createDataset({ name: 'hidden', owner: DATA_PLATFORM });

    const error = await viewer
      .getDataset({ namespace: 'default', name: 'hidden' })
      .catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(404);
    expect(error.body.error.message).toBe("Dataset 'default/hidden' not found");
  });
});
