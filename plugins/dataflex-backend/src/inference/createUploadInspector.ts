import { DatasetFormat } from '@dataflex/backstage-plugin-dataflex-common';
import { InThreadUploadInspector, UploadInspector } from './UploadInspector';
import { WorkerInspector } from './WorkerInspector';

/**
 * Uploads declared smaller than this are inspected on the request thread.
 * Starting a worker costs a thread and a module load (in development also
 * Backstage's TypeScript transform): more than inspecting a few MiB takes,
 * and fifty small uploads at once would otherwise start fifty workers.
 */
export const WORKER_MIN_BYTES = 8 * 1024 * 1024;

/**
 * The inspector for an upload of `expectedBytes` (its declared length, if
 * any): on a worker thread ({@link WorkerInspector}) unless it is known to
 * be small.
 */
export function createUploadInspector(options: {
  allowedFormats: readonly DatasetFormat[];
  expectedBytes: number | undefined;
}): UploadInspector {
  const { allowedFormats, expectedBytes } = options;
  if (expectedBytes !== undefined && expectedBytes < WORKER_MIN_BYTES) {
    return InThreadUploadInspector.create({ allowedFormats });
  }
  return WorkerInspector.create({ allowedFormats });
}
