import { createHash } from 'node:crypto';
import { InputError } from '@backstage/errors';
import { DatasetFormat } from '@dataflex/backstage-plugin-dataflex-common';
import {
  UnprocessableContentError,
  UnsupportedMediaTypeError,
} from '../service/errors';
import { InThreadUploadInspector, UploadInspector } from './UploadInspector';
import {
  BATCH_BYTES,
  MAX_BATCHES_IN_FLIGHT,
  WorkerInspector,
} from './WorkerInspector';
import { pick, random } from './__testUtils__/random';

jest.setTimeout(60_000);

const ALL: DatasetFormat[] = ['csv', 'jsonl', 'parquet'];

async function feed(inspector: UploadInspector, content: Buffer, size: number) {
  for (let i = 0; i < content.length; i += size) {
    await inspector.write(content.subarray(i, i + size));
  }
  return inspector.end();
}

/** The outcome of one inspection: its result, or its error's class and message. */
async function outcome(
  create: () => UploadInspector,
  content: Buffer,
  size: number,
) {
  try {
    return { result: await feed(create(), content, size) };
  } catch (error) {
    return {
      errorClass: (error as Error).constructor,
      message: (error as Error).message,
    };
  }
}

function generatedCsv(seed: number, rows: number): Buffer {
  const next = random(seed);
  const lines = ['id,name,amount,day,flag,note'];
  for (let i = 0; i < rows; i++) {
    lines.push(
      [
        i,
        pick(next, ['Zoë', '"a, ""quoted"" b"', 'Łukasz', '']),
        (next() * 1000).toFixed(pick(next, [0, 2])),
        `2024-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`,
        pick(next, ['true', 'FALSE', '']),
        pick(next, ['"multi\nline"', 'plain', '']),
      ].join(','),
    );
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

function generatedJsonLines(seed: number, rows: number): Buffer {
  const next = random(seed);
  const lines = [];
  for (let i = 0; i < rows; i++) {
    lines.push(
      JSON.stringify({
        id: i,
        v: next() < 0.1 ? null : next() * 10,
        ...(next() < 0.5 ? { extra: 'x' } : {}),
      }),
    );
  }
  return Buffer.from(lines.join('\n'));
}

describe('WorkerInspector', () => {
  it('finds exactly what in-thread inspection finds, whatever the chunking', async () => {
    const footer = Buffer.alloc(8);
    footer.writeUInt32LE(4, 0);
    footer.write('PAR1', 4);
    const contents = [
      generatedCsv(1, 60_000),
      generatedJsonLines(2, 40_000),
      Buffer.from('a;b;c\n1;2,5;x\n'),
      Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(20), footer]),
    ];
    expect(contents[0].length).toBeGreaterThan(2 * BATCH_BYTES);
    for (const content of contents) {
      for (const size of [
        content.length < 100 ? 3 : 997,
        65_536,
        3 * BATCH_BYTES,
      ]) {
        const inThread = await outcome(
          () => InThreadUploadInspector.create({ allowedFormats: ALL }),
          content,
          size,
        );
        const inWorker = await outcome(
          () => WorkerInspector.create({ allowedFormats: ALL }),
          content,
          size,
        );
        expect(inThread.result?.digest).toEqual({
          sha256: createHash('sha256').update(content).digest('hex'),
          size: content.length,
        });
        expect(inWorker).toEqual(inThread);
      }
    }
  });

  it.each([
    ['', InputError, 'The file is empty'],
    ['[1,2,3]', UnsupportedMediaTypeError, /JSON document/],
    ['\u0000\u0001\u0002', UnsupportedMediaTypeError, /binary/],
    ['a,b\n1,"2\n', UnprocessableContentError, /quoted field is never closed/],
    [
      `a,b\n${'1,2\n'.repeat(400_000)}1,2,3\n`,
      UnprocessableContentError,
      /line 400002 has 3 fields but the header has 2/,
    ],
    ['{"a":1}\n42\n', UnprocessableContentError, /Line 2 is not a JSON object/],
  ])(
    'refuses %#, with the error in-thread inspection throws',
    async (content, type, message) => {
      const bytes = Buffer.from(content);
      const inThread = await outcome(
        () => InThreadUploadInspector.create({ allowedFormats: ALL }),
        bytes,
        65_536,
      );
      const inWorker = await outcome(
        () => WorkerInspector.create({ allowedFormats: ALL }),
        bytes,
        65_536,
      );
      expect(inWorker).toEqual(inThread);
      expect(inWorker.errorClass).toBe(type);
      expect(inWorker.message).toMatch(message);
    },
  );

  it('surfaces an error on the next write and keeps failing after it', async () => {
    const inspector = WorkerInspector.create({ allowedFormats: ['parquet'] });
    const csv = Buffer.from(`a,b\n${'1,2\n'.repeat(BATCH_BYTES / 4)}`);
    const writes = (async () => {
      for (;;) {
        await inspector.write(csv);
      }
    })();
    await expect(writes).rejects.toThrow(
      new UnsupportedMediaTypeError(
        'CSV uploads are not allowed here; allowed: Parquet',
      ),
    );
    await expect(inspector.write(csv)).rejects.toThrow(
      UnsupportedMediaTypeError,
    );
    await expect(inspector.end()).rejects.toThrow(UnsupportedMediaTypeError);
    await expect(inspector.exited).resolves.toEqual(expect.any(Number));
  });

  it('keeps at most a bounded number of batches in flight', async () => {
    const inspector = WorkerInspector.create({ allowedFormats: ALL });
    const content = generatedCsv(3, 200_000);
    let most = 0;
    for (let i = 0; i < content.length; i += 100_000) {
      await inspector.write(content.subarray(i, i + 100_000));
      most = Math.max(most, inspector.batchesInFlight);
    }
    // Copying is far faster than parsing, so the writer does reach the bound
    // and has to wait there.
    expect(most).toBe(MAX_BATCHES_IN_FLIGHT);
    const inThread = await feed(
      InThreadUploadInspector.create({ allowedFormats: ALL }),
      content,
      100_000,
    );
    expect(await inspector.end()).toEqual(inThread);
  });

  it('terminates the worker when destroyed mid-way, failing a waiting write', async () => {
    const inspector = WorkerInspector.create({ allowedFormats: ALL });
    const content = generatedCsv(4, 200_000);
    const writes = (async () => {
      for (let i = 0; i < content.length; i += BATCH_BYTES) {
        await inspector.write(content.subarray(i, i + BATCH_BYTES));
      }
    })();
    while (inspector.batchesInFlight < MAX_BATCHES_IN_FLIGHT) {
      await new Promise(resolve => setTimeout(resolve, 1));
    }
    const failedWrite = writes.catch(error => error);
    await inspector.destroy();
    await expect(inspector.exited).resolves.toEqual(expect.any(Number));
    expect(await failedWrite).toEqual(
      new Error('The content inspection was stopped'),
    );
    await expect(inspector.end()).rejects.toThrow(
      'The content inspection was stopped',
    );
  });

  it('stops its worker once the result is in', async () => {
    const inspector = WorkerInspector.create({ allowedFormats: ALL });
    await feed(inspector, Buffer.from('a\n1\n'), 2);
    await expect(inspector.exited).resolves.toEqual(expect.any(Number));
  });
});
