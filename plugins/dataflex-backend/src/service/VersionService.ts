import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  DatasetPreview,
  DatasetVersion,
  DatasetVersionList,
} from '@dataflex/backstage-plugin-dataflex-common';
import { BlobStore } from '@dataflex/backstage-plugin-dataflex-node';
import { Request } from 'express';
import { DatasetRecord, DatasetRef } from '../database/DatasetStore';
import {
  DatasetVersionRecord,
  DatasetVersionStore,
} from '../database/DatasetVersionStore';
import { MEDIA_TYPES } from '../inference/mediaTypes';
import { readParquetFacts } from '../inference/readParquetFacts';
import { PreviewService } from '../preview/PreviewService';
import { crashPoint, crashStageOf } from '../upload/crashPoint';
import { receiveUpload } from '../upload/receiveUpload';
import { decodeCursor, encodeCursor } from './cursor';
import { DataflexEventPublisher } from './DataflexEventPublisher';
import { DatasetConfig } from './DatasetConfig';
import { DatasetService, notFound } from './DatasetService';
import { PayloadTooLargeError } from './errors';
import { formatBytes } from './formatBytes';

const DEFAULT_PAGE_SIZE = 50;

/** Records who downloads which version, for the dataset's owners. */
export interface DownloadRecorder {
  recordDownload(options: {
    datasetId: string;
    actor: string;
    version: number;
  }): Promise<void>;
}

/**
 * Versions of datasets: uploading them (stream to storage, inspect, then
 * commit), listing them, and reaching their content for downloads and
 * previews. Every method first checks what the caller may do through
 * {@link DatasetService.require}.
 */
export class VersionService {
  static create(options: {
    datasets: DatasetService;
    versionStore: DatasetVersionStore;
    blobStore: BlobStore;
    config: DatasetConfig;
    preview: PreviewService;
    events: DataflexEventPublisher;
    /** Keeps the per-dataset access log of who downloaded which version. */
    downloads?: DownloadRecorder;
  }): VersionService {
    return new VersionService(
      options.datasets,
      options.versionStore,
      options.blobStore,
      options.config,
      options.preview,
      options.events,
      options.downloads,
    );
  }

  private constructor(
    private readonly datasets: DatasetService,
    private readonly versionStore: DatasetVersionStore,
    private readonly blobStore: BlobStore,
    private readonly config: DatasetConfig,
    private readonly previews: PreviewService,
    private readonly events: DataflexEventPublisher,
    private readonly downloads?: DownloadRecorder,
  ) {}

  /**
   * Streams the request's file into storage while inspecting it, reads a
   * Parquet footer from the stored content, and only then commits the
   * version's metadata.
   */
  async upload(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    ref: DatasetRef,
    request: Request,
  ): Promise<{ dataset: DatasetRecord; version: DatasetVersion }> {
    const dataset = await this.datasets.require(
      credentials,
      ref,
      'createVersion',
    );
    const uploader = credentials.principal.userEntityRef;
    const { maxUploadBytes, userQuotaBytes } = this.config;
    const used = await this.versionStore.getUsageBytes(uploader);
    if (used >= userQuotaBytes) {
      throw new PayloadTooLargeError(
        `You have used your whole storage quota (${formatBytes(
          used,
        )} of ${formatBytes(
          userQuotaBytes,
        )}); delete datasets you no longer need or ask an admin for more`,
      );
    }
    const quotaBound = userQuotaBytes - used < maxUploadBytes;
    const crashStage = crashStageOf(request.headers);
    await crashPoint(crashStage, 'before-storage');
    const received = await receiveUpload({
      request,
      blobStore: this.blobStore,
      allowedFormats: this.config.allowedFormats,
      maxBytes: quotaBound ? userQuotaBytes - used : maxUploadBytes,
      tooLarge: () =>
        new PayloadTooLargeError(
          quotaBound
            ? `The file would take you past your storage quota of ${formatBytes(
                userQuotaBytes,
              )}; you already use ${formatBytes(used)}`
            : `The file is larger than the upload limit of ${formatBytes(
                maxUploadBytes,
              )}`,
        ),
    });

    const { blob, content } = received;
    const facts =
      content.format === 'parquet'
        ? await readParquetFacts({
            blobStore: this.blobStore,
            sha256: blob.sha256,
            size: blob.size,
          })
        : content;
    await crashPoint(crashStage, 'after-storage');
    const record = await this.versionStore.createVersion(
      {
        datasetId: dataset.id,
        sha256: blob.sha256,
        size: blob.size,
        mediaType: MEDIA_TYPES[content.format],
        format: content.format,
        filename: received.filename,
        rowCount: facts.rowCount,
        columns: facts.columns,
        changeNote: received.changeNote,
        uploadedBy: uploader,
        quotaBytes: userQuotaBytes,
        isStored: () => this.blobStore.has(blob.sha256),
      },
      {
        beforeCommit: (transaction, created) =>
          this.events.versionPublished(uploader, dataset, created, {
            transaction,
          }),
      },
    );
    await crashPoint(crashStage, 'after-commit');
    return { dataset, version: toDatasetVersion(record) };
  }

  async list(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    ref: DatasetRef,
    options: { limit?: number; cursor?: string },
  ): Promise<DatasetVersionList> {
    const dataset = await this.datasets.require(credentials, ref, 'read');
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    const page = await this.versionStore.listVersions(dataset.id, {
      limit,
      before: options.cursor
        ? decodeCursor(options.cursor, isVersionPosition)
        : undefined,
    });
    const last = page.items[page.items.length - 1];
    return {
      items: page.items.map(toDatasetVersion),
      nextCursor: page.hasMore && last ? encodeCursor(last.version) : undefined,
    };
  }

  async get(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    ref: DatasetRef,
    version: string,
  ): Promise<DatasetVersion> {
    const dataset = await this.datasets.require(credentials, ref, 'read');
    return toDatasetVersion(await this.find(dataset, version));
  }

  /**
   * The version whose content the caller is about to download, recorded in
   * the dataset's access log.
   */
  async getForDownload(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    ref: DatasetRef,
    version: string,
  ): Promise<DatasetVersionRecord> {
    const { dataset, record } = await this.findReadable(
      credentials,
      ref,
      version,
    );
    await this.downloads?.recordDownload({
      datasetId: dataset.id,
      actor: credentials.principal.userEntityRef,
      version: record.version,
    });
    return record;
  }

  async preview(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    ref: DatasetRef,
    version: string,
    limit: number | undefined,
  ): Promise<DatasetPreview> {
    const { dataset, record } = await this.findReadable(
      credentials,
      ref,
      version,
    );
    return this.previews.preview(dataset, record, limit);
  }

  /**
   * A version whose content the caller may read. Content they may not read
   * answers like a missing dataset; a grant opens only the versions it
   * covers.
   */
  private async findReadable(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    ref: DatasetRef,
    version: string,
  ) {
    const dataset = await this.datasets.require(credentials, ref, 'read');
    const record = await this.find(dataset, version);
    if (
      !(await this.datasets.mayReadVersion(
        credentials,
        dataset,
        record.version,
      ))
    ) {
      throw notFound(ref);
    }
    return { dataset, record };
  }

  private async find(
    dataset: DatasetRecord,
    version: string,
  ): Promise<DatasetVersionRecord> {
    const record = await this.versionStore.getVersion(
      dataset.id,
      parseVersion(version),
    );
    if (!record) {
      throw new NotFoundError(
        version === 'latest'
          ? `Dataset '${dataset.namespace}/${dataset.name}' has no versions yet`
          : `Dataset '${dataset.namespace}/${dataset.name}' has no version ${version}`,
      );
    }
    return record;
  }
}

function parseVersion(version: string): number | 'latest' {
  if (version === 'latest') {
    return version;
  }
  if (!/^[1-9]\d{0,8}$/.test(version)) {
    throw new InputError(
      `Invalid version '${version}': use a version number (1, 2, …) or 'latest'`,
    );
  }
  return Number(version);
}

function isVersionPosition(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function toDatasetVersion(record: DatasetVersionRecord): DatasetVersion {
  return {
    version: record.version,
    sha256: record.sha256,
    size: record.size,
    mediaType: record.mediaType,
    format: record.format,
    filename: record.filename,
    rowCount: record.rowCount,
    columns: record.columns,
    schemaDiff: record.schemaDiff,
    changeNote: record.changeNote,
    uploadedBy: record.uploadedBy,
    createdAt: record.createdAt,
  };
}
