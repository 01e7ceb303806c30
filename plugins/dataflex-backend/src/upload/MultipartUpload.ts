import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InputError } from '@backstage/errors';
import { Request } from 'express';
import { StoredBlob } from '@dataflex/backstage-plugin-dataflex-node';
import busboy, { Busboy } from 'busboy';
import { createUploadInspector } from '../inference/createUploadInspector';
import { InspectedUpload, UploadInspector } from '../inference/UploadInspector';
import { BatchWriter } from './BatchWriter';
import { crashPoint, crashStageOf, MID_MULTIPART_BYTES } from './crashPoint';
import type { ReceivedUpload, ReceiveUploadOptions } from './receiveUpload';
import { validateFilename } from './validateFilename';

/**
 * Bytes of the request body handed to the multipart parser at a time, and
 * so about the size of each piece of the file that the inspector and the
 * store get: a MiB instead of a socket read's 64 KiB ({@link BatchWriter}).
 */
export const BATCH_BYTES = 1024 * 1024;

/** Longest change note, in characters. */
export const MAX_CHANGE_NOTE_LENGTH = 2000;

/**
 * One multipart request being received; see {@link receiveUpload}.
 */
export class MultipartUpload {
  private failure: Error | undefined;
  private settle = { resolve: () => {}, reject: (_: Error) => {} };
  private parser: Busboy | undefined;
  private requestBody: BatchWriter | undefined;
  private file:
    | { filename: string; done: Promise<InspectedUpload> }
    | undefined;
  private fileStream: Readable | undefined;
  private inspector: UploadInspector | undefined;
  private body: PassThrough | undefined;
  private put: Promise<StoredBlob> | undefined;
  private putError: Error | undefined;
  private changeNote: string | undefined;
  private changeNoteSeen = false;

  static create(options: ReceiveUploadOptions): MultipartUpload {
    return new MultipartUpload(options);
  }

  private constructor(private readonly options: ReceiveUploadOptions) {}

  async receive(): Promise<ReceivedUpload> {
    const { request } = this.options;
    const parsed = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    try {
      this.parser = busboy({
        headers: request.headers,
        // Keep the name as sent, so unsafe ones are refused, not rewritten.
        preservePath: true,
        defParamCharset: 'utf8',
        limits: {
          fieldSize: MAX_CHANGE_NOTE_LENGTH * 4,
          fields: 5,
          files: 5,
          parts: 10,
        },
      });
    } catch (error) {
      throw new InputError(
        `The multipart body cannot be read: ${(error as Error).message}`,
      );
    }
    this.listen(this.parser);
    request.on('close', () => {
      if (!request.complete) {
        this.fail(
          new InputError('The upload was interrupted before it finished'),
        );
      }
    });
    this.requestBody = this.feed(request, this.parser);

    try {
      await parsed;
      if (!this.file) {
        throw new InputError(
          "No file: send the content in a multipart field named 'file'",
        );
      }
      const { content } = await this.file.done;
      this.body!.end();
      const blob = await this.put!;
      return {
        blob,
        filename: this.file.filename,
        changeNote: this.changeNote,
        content,
      };
    } catch (error) {
      await this.abort(error as Error);
      throw error;
    }
  }

  /**
   * Pipes the request body to the parser in batches ({@link BatchWriter}),
   * so that the parser, the file stream it emits and everything after it
   * run once per batch rather than once per socket read.
   */
  private feed(request: Request, parser: Busboy): BatchWriter {
    const writer = new BatchWriter({
      batchBytes: batchBytesFor(request),
      onBatch: async batch => {
        if (this.failure) {
          throw this.failure;
        }
        if (!parser.write(batch)) {
          await waitForDrain(parser, 'The multipart parser stopped');
        }
      },
    });
    writer.on('finish', () => parser.end());
    writer.on('error', error => this.fail(error));
    request.pipe(writer);
    return writer;
  }

  private listen(parser: Busboy) {
    parser.on('file', (field, stream, info) => {
      if (this.failure) {
        stream.resume();
      } else if (field !== 'file') {
        stream.resume();
        this.fail(
          new InputError(
            `Unexpected file in field '${field}'; send the file in a field named 'file'`,
          ),
        );
      } else if (this.file) {
        stream.resume();
        this.fail(
          new InputError(
            'Send exactly one file per upload; this request has more than one',
          ),
        );
      } else {
        this.startFile(stream, info.filename);
      }
    });
    parser.on('field', (name, value, info) => {
      if (name === 'changeNote') {
        if (this.changeNoteSeen) {
          this.fail(new InputError('Send changeNote only once'));
        } else if (
          info.valueTruncated ||
          value.length > MAX_CHANGE_NOTE_LENGTH
        ) {
          this.fail(
            new InputError(
              `changeNote is longer than ${MAX_CHANGE_NOTE_LENGTH} characters`,
            ),
          );
        } else {
          this.changeNoteSeen = true;
          this.changeNote = value.trim() || undefined;
        }
      } else if (name === 'file') {
        this.fail(
          new InputError(
            "The field 'file' must carry a file (a part with a filename), not text",
          ),
        );
      } else {
        this.fail(
          new InputError(
            `Unexpected field '${name}': an upload has a 'file' and optionally a 'changeNote'`,
          ),
        );
      }
    });
    const tooManyParts = () =>
      this.fail(
        new InputError(
          "Too many parts: an upload has one 'file' and optionally a 'changeNote'",
        ),
      );
    parser.on('partsLimit', tooManyParts);
    parser.on('filesLimit', tooManyParts);
    parser.on('fieldsLimit', tooManyParts);
    parser.on('error', (error: Error) =>
      this.fail(
        new InputError(`The multipart body is malformed: ${error.message}`),
      ),
    );
    parser.on('close', () => this.settle.resolve());
  }

  private startFile(stream: Readable, filename: string | undefined) {
    let name: string;
    try {
      name = validateFilename(filename);
    } catch (error) {
      stream.resume();
      this.fail(error as Error);
      return;
    }
    const body = new PassThrough();
    // Failures surface through the put's promise; this keeps a destroyed
    // stream from raising an unhandled 'error' event.
    body.on('error', () => {});
    this.body = body;
    this.fileStream = stream;
    const done = this.receiveFile(stream, body);
    done.catch(error => this.fail(error));
    this.file = { filename: name, done };
    // The inspector hashes the bytes it reads anyway, off the request thread
    // for large uploads; the store is spared a second pass over them.
    this.put = this.options.blobStore.put(body, {
      digest: async () => (await done).digest,
    });
    this.put.catch(error => {
      this.putError = error;
    });
  }

  /**
   * Checks the file as it arrives and feeds the inspector and the store. The
   * file stream is piped, so it flows: its chunks (a batch each, see
   * {@link MultipartUpload.feed}) arrive as events rather than through an
   * async iterator's promise and 'readable' event each.
   */
  private async receiveFile(
    stream: Readable,
    body: PassThrough,
  ): Promise<InspectedUpload> {
    const declared = Number(this.options.request.headers['content-length']);
    const inspector = createUploadInspector({
      allowedFormats: this.options.allowedFormats,
      expectedBytes: Number.isFinite(declared) ? declared : undefined,
    });
    this.inspector = inspector;
    const crashStage = crashStageOf(this.options.request.headers);
    let bytes = 0;
    const take = async (chunk: Buffer) => {
      if (this.failure) {
        throw this.failure;
      }
      bytes += chunk.length;
      if (bytes > this.options.maxBytes) {
        throw this.options.tooLarge();
      }
      await inspector.write(chunk);
      if (this.putError) {
        throw this.putError;
      }
      if (!body.write(chunk)) {
        await waitForDrain(body, 'The storage stopped accepting the upload');
      }
      if (bytes > MID_MULTIPART_BYTES) {
        await crashPoint(crashStage, 'mid-multipart');
      }
    };
    await pipeline(
      stream,
      new Writable({
        // Called back from a promise, not synchronously: a synchronous
        // callback would schedule a tick of its own for every chunk.
        write: (chunk: Buffer, _encoding, callback) => {
          take(chunk).then(() => callback(), callback);
        },
      }),
    );
    if (bytes === 0) {
      throw new InputError('The file is empty');
    }
    return inspector.end();
  }

  private fail(error: Error) {
    if (!this.failure) {
      this.failure = error;
      this.settle.reject(error);
    }
  }

  /**
   * Stops reading, keeps nothing: the store's input is destroyed and its put
   * awaited so that its cleanup has finished before anyone is answered. The
   * rest of the request is drained so the client can read the answer.
   */
  private async abort(error: Error) {
    this.failure ??= error;
    const { request } = this.options;
    if (this.requestBody) {
      request.unpipe(this.requestBody);
    }
    request.resume();
    this.fileStream?.destroy();
    this.body?.destroy(this.failure);
    await this.inspector?.destroy();
    await this.put?.catch(() => undefined);
  }
}

/**
 * Plain listeners rather than `once()` with an AbortSignal: this runs for
 * many batches of an upload, and each aborted signal costs an AbortError
 * with its stack trace.
 */
function waitForDrain(stream: Writable, closed: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.destroyed) {
      reject(stream.errored ?? new Error(closed));
      return;
    }
    function onDrain() {
      stream.off('close', onClose);
      resolve();
    }
    function onClose() {
      stream.off('drain', onDrain);
      reject(stream.errored ?? new Error(closed));
    }
    stream.once('drain', onDrain);
    stream.once('close', onClose);
  });
}

/**
 * A batch of {@link BATCH_BYTES}, or of the declared body's size when that is
 * smaller: fifty small uploads at once should not hold a MiB each.
 */
function batchBytesFor(request: Request): number {
  const declared = Number(request.headers['content-length']);
  return declared > 0 && declared < BATCH_BYTES ? declared : BATCH_BYTES;
}
