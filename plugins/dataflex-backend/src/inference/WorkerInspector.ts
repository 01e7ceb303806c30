import { parentPort, Worker, workerData } from 'node:worker_threads';
import { InputError } from '@backstage/errors';
import { DatasetFormat } from '@dataflex/backstage-plugin-dataflex-common';
import {
  UnprocessableContentError,
  UnsupportedMediaTypeError,
} from '../service/errors';
import {
  InspectedUpload,
  InThreadUploadInspector,
  UploadInspector,
} from './UploadInspector';

/** Bytes gathered into one message to the worker; fewer, larger messages cost less. */
export const BATCH_BYTES = 1024 * 1024;
/** Batches sent and not yet inspected: bounds an upload's memory in transit. */
export const MAX_BATCHES_IN_FLIGHT = 4;

/**
 * The worker's entry: loads this very module by its file name and runs
 * {@link WorkerInspector.serveWorker}. That works however this module was
 * loaded: from the production build (one file per module, so the name is
 * this module's), under `backstage-cli package start` (whose TypeScript hook
 * the worker inherits through `execArgv`) and under jest, whose transform a
 * worker does not inherit, so the worker registers Backstage's node
 * transform itself.
 */
const WORKER_SOURCE = `
const path = require('node:path');
const { workerData } = require('node:worker_threads');
const entry = workerData.entry;
if (entry.endsWith('.ts') && !require.extensions['.ts']) {
  require(require.resolve('@backstage/cli/config/nodeTransform.cjs', {
    paths: [path.dirname(entry)],
  }));
}
require(entry).WorkerInspector.serveWorker();
`;

type ToWorker = { type: 'batch'; bytes: Uint8Array } | { type: 'end' };

type FromWorker =
  | { type: 'ack'; buffer: ArrayBuffer }
  | { type: 'result'; upload: InspectedUpload }
  | { type: 'error'; name: string; message: string };

/** The errors inspection throws on purpose, rebuilt by name in the caller. */
const ERROR_CLASSES: Record<string, new (message: string) => Error> = {
  InputError,
  UnprocessableContentError,
  UnsupportedMediaTypeError,
};

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

/**
 * Runs an upload's inspection and hashing ({@link InThreadUploadInspector})
 * on a worker thread, one per upload large enough to be worth it (see
 * `createUploadInspector`), so the thread answering requests only copies
 * bytes while another core parses and hashes them.
 * A worker per upload rather than a pool: starting one costs milliseconds
 * against the seconds a large upload takes, and an aborted upload can simply
 * terminate its own worker instead of returning a half-fed inspector to a
 * pool.
 *
 * Chunks are copied into batches of {@link BATCH_BYTES} whose memory is
 * transferred to the worker and handed back once inspected, so each byte is
 * copied once and no memory is allocated per batch. At most
 * {@link MAX_BATCHES_IN_FLIGHT} batches wait for the worker; `write()`
 * resolves only when there is room, so a slow inspection slows the upload
 * down instead of buffering it. An error
 * of the inspection surfaces, with its class and message, from the next
 * `write()` or `end()`.
 */
export class WorkerInspector implements UploadInspector {
  /** Resolves with the worker's exit code once its thread has stopped. */
  readonly exited: Promise<number>;
  private batch: Buffer | undefined;
  /** Batch memory the worker has handed back, to be filled again. */
  private readonly spare: ArrayBuffer[] = [];
  private batchBytes = 0;
  private inFlight = 0;
  private failure: Error | undefined;
  private room: Waiter<void> | undefined;
  private result: Waiter<InspectedUpload> | undefined;
  private stopped = false;

  static create(options: {
    allowedFormats: readonly DatasetFormat[];
  }): WorkerInspector {
    return new WorkerInspector(
      new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          entry: __filename,
          allowedFormats: [...options.allowedFormats],
        },
      }),
    );
  }

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise(resolve => worker.once('exit', resolve));
    worker.on('message', (message: FromWorker) => this.receive(message));
    worker.on('error', (error: Error) =>
      this.fail(new Error(`The content inspection failed: ${error.message}`)),
    );
    worker.on('exit', code =>
      this.fail(
        new Error(`The content inspection stopped early (exit code ${code})`),
      ),
    );
  }

  /**
   * The worker thread's side, run by the worker's entry: inspects each batch
   * in order, acknowledges it so the caller may send another, and reports the
   * outcome or the first error. A static method rather than a module function
   * because the production build drops exports nothing imports.
   */
  static serveWorker(): void {
    const port = parentPort;
    if (!port) {
      throw new Error('serveWorker runs only on a worker thread');
    }
    const inspector = InThreadUploadInspector.create({
      allowedFormats: workerData.allowedFormats,
    });
    let queue = Promise.resolve();
    let failed = false;
    port.on('message', (message: ToWorker) => {
      queue = queue.then(async () => {
        if (failed) {
          return;
        }
        try {
          if (message.type === 'batch') {
            // Once inspected, the batch's memory goes back to be filled
            // again: no thread allocates per batch, and no transferred memory
            // waits for a collection to be freed.
            const { buffer, byteOffset, byteLength } = message.bytes;
            await inspector.write(Buffer.from(buffer, byteOffset, byteLength));
            port.postMessage({ type: 'ack', buffer } satisfies FromWorker, [
              buffer,
            ]);
          } else {
            const upload = await inspector.end();
            port.postMessage({ type: 'result', upload } satisfies FromWorker);
          }
        } catch (error) {
          failed = true;
          const { name, message: text } = error as Error;
          port.postMessage({
            type: 'error',
            name,
            message: text,
          } satisfies FromWorker);
        }
      });
    });
  }

  /** Batches handed to the worker and not yet inspected. */
  get batchesInFlight(): number {
    return this.inFlight;
  }

  async write(chunk: Buffer): Promise<void> {
    this.throwIfFailed();
    let offset = 0;
    while (offset < chunk.length) {
      // Not zero-filled: every byte sent is copied in first.
      this.batch ??= this.nextBatch();
      const copied = chunk.copy(this.batch, this.batchBytes, offset);
      this.batchBytes += copied;
      offset += copied;
      if (this.batchBytes === BATCH_BYTES) {
        await this.send();
      }
    }
  }

  async end(): Promise<InspectedUpload> {
    this.throwIfFailed();
    try {
      if (this.batchBytes > 0) {
        await this.send();
      }
      const result = new Promise<InspectedUpload>((resolve, reject) => {
        this.result = { resolve, reject };
      });
      this.post({ type: 'end' });
      return await result;
    } finally {
      await this.destroy();
    }
  }

  /** Stops the worker; an inspection still waiting fails. */
  async destroy(): Promise<void> {
    this.fail(new Error('The content inspection was stopped'));
    await this.worker.terminate();
  }

  private nextBatch(): Buffer {
    const spare = this.spare.pop();
    return spare ? Buffer.from(spare) : Buffer.allocUnsafeSlow(BATCH_BYTES);
  }

  private async send() {
    while (this.inFlight >= MAX_BATCHES_IN_FLIGHT) {
      await new Promise<void>((resolve, reject) => {
        this.room = { resolve, reject };
      });
    }
    const bytes = new Uint8Array(
      this.batch!.buffer,
      this.batch!.byteOffset,
      this.batchBytes,
    );
    this.batch = undefined;
    this.batchBytes = 0;
    this.inFlight += 1;
    this.post({ type: 'batch', bytes }, [bytes.buffer]);
  }

  private post(message: ToWorker, transfer: ArrayBuffer[] = []) {
    this.worker.postMessage(message, transfer);
  }

  private receive(message: FromWorker) {
    switch (message.type) {
      case 'ack': {
        this.inFlight -= 1;
        this.spare.push(message.buffer);
        const room = this.room;
        this.room = undefined;
        room?.resolve();
        break;
      }
      case 'result': {
        this.stopped = true;
        this.result?.resolve(message.upload);
        this.result = undefined;
        break;
      }
      case 'error': {
        const ErrorClass = ERROR_CLASSES[message.name];
        this.fail(
          ErrorClass
            ? new ErrorClass(message.message)
            : new Error(`The content inspection failed: ${message.message}`),
        );
        break;
      }
      default:
        throw new Error(
          `Unknown inspection message ${
            (message satisfies never as FromWorker).type
          }`,
        );
    }
  }

  private fail(error: Error) {
    if (!this.stopped) {
      this.stopped = true;
      this.failure = error;
      this.room?.reject(error);
      this.result?.reject(error);
      this.room = undefined;
      this.result = undefined;
      // Nothing more will be read from it.
      this.worker.terminate().catch(() => undefined);
    }
  }

  private throwIfFailed() {
    if (this.failure) {
      throw this.failure;
    }
    if (this.stopped) {
      throw new Error('The content inspection has already ended');
    }
  }
}
