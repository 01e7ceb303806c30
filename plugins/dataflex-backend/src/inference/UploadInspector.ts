import { createHash } from 'node:crypto';
import { DatasetFormat } from '@dataflex/backstage-plugin-dataflex-common';
import { ContentDigest } from '@dataflex/backstage-plugin-dataflex-node';
import { ContentInspector } from './ContentInspector';
import { InspectedContent } from './FormatInspector';

/** What reading an upload once found out: its content and its digest. */
export interface InspectedUpload {
  content: InspectedContent;
  digest: ContentDigest;
}

/**
 * Reads an upload's bytes once, as they stream past: inspects them (see
 * {@link ContentInspector}) and hashes them, so the blob store need not hash
 * them again. Can be stopped before its end.
 */
export interface UploadInspector {
  /** The caller may reuse the chunk's memory once this has resolved. */
  write(chunk: Buffer): Promise<void>;
  /** Called after the last chunk; throws when the file ends malformed. */
  end(): Promise<InspectedUpload>;
  /** Stops inspecting and releases what the inspection holds. */
  destroy(): Promise<void>;
}

/**
 * An {@link UploadInspector} on the calling thread: used for small uploads,
 * and by a {@link WorkerInspector}'s worker.
 */
export class InThreadUploadInspector implements UploadInspector {
  private readonly hash = createHash('sha256');
  private size = 0;

  static create(options: {
    allowedFormats: readonly DatasetFormat[];
  }): InThreadUploadInspector {
    return new InThreadUploadInspector(ContentInspector.create(options));
  }

  private constructor(private readonly inspector: ContentInspector) {}

  write(chunk: Buffer): Promise<void> {
    this.hash.update(chunk);
    this.size += chunk.length;
    return this.inspector.write(chunk);
  }

  async end(): Promise<InspectedUpload> {
    const content = await this.inspector.end();
    return {
      content,
      digest: { sha256: this.hash.digest('hex'), size: this.size },
    };
  }

  /** It holds nothing but memory, which goes with the upload. */
  async destroy(): Promise<void> {}
}
