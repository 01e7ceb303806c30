import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { mockServices } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { BlobRange, BlobStore } from '@dataflex/backstage-plugin-dataflex-node';
import { parquetMetadata } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { DatasetVersionRecord } from '../database/DatasetVersionStore';
import { ContentInspector } from '../inference/ContentInspector';
import { readParquetFacts } from '../inference/readParquetFacts';
import { LocalDiskBlobStore } from '../storage/LocalDiskBlobStore';
import { MaskingResolver } from './MaskingResolver';
import { PreviewService } from './PreviewService';

const ref = { namespace: 'default', name: 'people' };
const peopleEntity = {
  apiVersion: 'dataflex.io/v1alpha1',
  kind: 'Dataset',
  metadata: { name: 'people', namespace: 'default' },
  spec: {
    owner: 'group:default/x',
    lifecycle: 'production',
    masking: ['EMAIL'],
    schema: { columns: [{ name: 'name', type: 'string', pii: true }] },
  },
};

describe('PreviewService', () => {
  let dir: string;
  let local: LocalDiskBlobStore;
  let opened: Array<BlobRange | undefined>;
  let blobStore: BlobStore;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-preview-'));
    local = await LocalDiskBlobStore.create({ directory: dir });
    opened = [];
    blobStore = Object.assign(Object.create(local), {
      open: async (sha256: string, range?: BlobRange) => {
        opened.push(range);
        return local.open(sha256, range);
      },
    });
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  function service(options: { maxBytes?: number; catalog?: any } = {}) {
    return PreviewService.create({
      blobStore,
      masking: MaskingResolver.create({
        catalog:
          options.catalog ?? catalogServiceMock({ entities: [peopleEntity] }),
        auth: mockServices.auth(),
      }),
      maxRows: 100,
      maxBytes: options.maxBytes ?? 1024 * 1024,
    });
  }

  async function store(content: Buffer): Promise<DatasetVersionRecord> {
    const inspector = ContentInspector.create({
      allowedFormats: ['csv', 'jsonl', 'parquet'],
    });
    await inspector.write(content);
    const inspected = await inspector.end();
    const blob = await local.put(Readable.from([content]));
    const facts =
      inspected.format === 'parquet'
        ? await readParquetFacts({ blobStore: local, ...blob })
        : inspected;
    return {
      datasetId: 'd',
      version: 1,
      sha256: blob.sha256,
      size: blob.size,
      mediaType: 'x',
      format: inspected.format,
      filename: 'x',
      rowCount: facts.rowCount,
      columns: facts.columns,
      uploadedBy: 'user:default/x',
      createdAt: new Date().toISOString(),
    };
  }

  it('reads only the first maxBytes of a large CSV and drops the row cut off there', async () => {
    const lines = ['id,name,email'];
    for (let i = 0; i < 5000; i++) {
      lines.push(`${i},Person ${i},p${i}@example.com`);
    }
    const version = await store(Buffer.from(`${lines.join('\n')}\n`));

    const preview = await service({ maxBytes: 200 }).preview(ref, version, 100);

    expect(opened).toEqual([{ start: 0, end: 199 }]);
    expect(preview.columns).toEqual([
      { name: 'id', type: 'integer', masked: false },
      { name: 'name', type: 'string', masked: true },
      { name: 'email', type: 'string', masked: true },
    ]);
    expect(preview.rows.length).toBeGreaterThan(2);
    expect(preview.rows.length).toBeLessThan(10);
    preview.rows.forEach((row, i) => expect(row).toEqual([i, '***', '***']));
    expect(preview.truncated).toBe(true);
  });

  it('stops JSON Lines rows at the row limit and the byte budget', async () => {
    const lines = Array.from({ length: 300 }, (_, i) =>
      JSON.stringify({ id: i, note: 'n'.repeat(50) }),
    );
    const version = await store(Buffer.from(lines.join('\n')));

    const limited = await service().preview(ref, version, 5);
    const budgeted = await service({ maxBytes: 1000 }).preview(
      ref,
      version,
      100,
    );

    expect(limited.rows).toEqual(
      Array.from({ length: 5 }, (_, i) => [i, 'n'.repeat(50)]),
    );
    expect(limited.truncated).toBe(true);
    expect(JSON.stringify(budgeted.rows).length).toBeLessThanOrEqual(1000);
    expect(budgeted.rows.length).toBeGreaterThan(5);
  });

  it('previews a whole small file untruncated', async () => {
    const version = await store(Buffer.from('id,email\n1,a@b.c\n2,\n'));
    const preview = await service().preview(ref, version, 20);
    expect(preview.rows).toEqual([
      [1, '***'],
      [2, '***'],
    ]);
    expect(preview.truncated).toBe(false);
  });

  it('reads a Parquet footer and the first row group only', async () => {
    const n = 1000;
    const parquet = Buffer.from(
      parquetWriteBuffer({
        columnData: [
          {
            name: 'id',
            data: Array.from({ length: n }, (_, i) => i),
            type: 'INT32',
          },
          {
            name: 'email',
            data: Array.from({ length: n }, (_, i) => `p${i}@example.com`),
            type: 'STRING',
          },
        ],
        rowGroupSize: 100,
      }),
    );
    const metadata = parquetMetadata(
      parquet.buffer.slice(
        parquet.byteOffset,
        parquet.byteOffset + parquet.byteLength,
      ) as ArrayBuffer,
    );
    expect(metadata.row_groups.length).toBe(10);
    const secondGroupStart = Math.min(
      ...metadata.row_groups[1].columns.map(c =>
        Number(
          c.meta_data!.dictionary_page_offset ?? c.meta_data!.data_page_offset,
        ),
      ),
    );
    const footerStart = parquet.length - 8 - metadata.metadata_length;
    const version = await store(parquet);
    opened = [];

    const preview = await service().preview(ref, version, 3);

    expect(preview.rows).toEqual([
      [0, '***'],
      [1, '***'],
      [2, '***'],
    ]);
    expect(preview.truncated).toBe(true);
    for (const range of opened) {
      const inFooter = range!.start >= footerStart - 8;
      const inFirstGroup = (range!.end ?? parquet.length) < secondGroupStart;
      expect(inFooter || inFirstGroup).toBe(true);
    }
  });

  it('shows nothing when the catalog cannot say what to mask', async () => {
    const version = await store(Buffer.from('id,email\n1,a@b.c\n'));
    const catalog = catalogServiceMock.mock({
      getEntityByRef: jest.fn().mockRejectedValue(new Error('catalog down')),
    });
    await expect(
      service({ catalog }).preview(ref, version, 20),
    ).rejects.toThrow(ServiceUnavailableError);
  });
});
