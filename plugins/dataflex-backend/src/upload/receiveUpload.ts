import {
  BlobStore,
  StoredBlob,
} from '@dataflex/backstage-plugin-dataflex-node';
import { DatasetFormat } from '@dataflex/backstage-plugin-dataflex-common';
import { Request } from 'express';
import { InspectedContent } from '../inference/FormatInspector';
import { UnsupportedMediaTypeError } from '../service/errors';
import { MultipartUpload } from './MultipartUpload';

// Room for part headers, boundaries and the change note when comparing a
// declared Content-Length with the size limit.
const MULTIPART_SLACK_BYTES = 64 * 1024;

export interface ReceiveUploadOptions {
  request: Request;
  blobStore: BlobStore;
  allowedFormats: readonly DatasetFormat[];
  /** Most bytes the file may have. */
  maxBytes: number;
  /** The error for a file past `maxBytes`, naming the limit that applies. */
  tooLarge: () => Error;
}

/** A file that is completely stored and inspected, not yet a version. */
export interface ReceivedUpload {
  blob: StoredBlob;
  filename: string;
  changeNote?: string;
  content: InspectedContent;
}

/**
 * Receives a multipart upload with exactly one file (field `file`) and an
 * optional `changeNote`, streaming the file through the content inspector
 * straight into the blob store. Nothing is buffered beyond a few chunks.
 *
 * The store's input is ended only once the whole request has been read and
 * the content found valid; on any failure (bad field, second file, size
 * limit, malformed content, client gone) it is destroyed instead, so the
 * store keeps nothing.
 */
export async function receiveUpload(
  options: ReceiveUploadOptions,
): Promise<ReceivedUpload> {
  const { request } = options;
  if (!request.is('multipart/form-data')) {
    throw new UnsupportedMediaTypeError(
      "Send the upload as multipart/form-data, with the file in a field named 'file'",
    );
  }
  const declared = Number(request.headers['content-length']);
  if (
    Number.isFinite(declared) &&
    declared > options.maxBytes + MULTIPART_SLACK_BYTES
  ) {
    throw options.tooLarge();
  }
  return MultipartUpload.create(options).receive();
}
