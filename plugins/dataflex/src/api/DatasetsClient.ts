import {
  DiscoveryApi,
  FetchApi,
  IdentityApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CreateDatasetRequest,
  DatasetClient,
  DatasetRefParts,
  DatasetVersion,
  UpdateDatasetRequest,
  VersionSelector,
} from '@dataflex/backstage-plugin-dataflex-common';
import {
  DatasetsApi,
  DemoRun,
  DemoRunStats,
  UploadProgress,
} from './DatasetsApi';

/** @public */
export interface DatasetsClientOptions {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
  /** Supplies the user token for uploads, which bypass the fetch API. */
  identityApi: Pick<IdentityApi, 'getCredentials'>;
}

/**
 * An upload the backend refused, with the message it gave.
 *
 * @public
 */
export class UploadError extends Error {
  readonly statusCode: number;

  constructor(message: string, statusCode: number) {
    super(message);
    this.name = 'UploadError';
    this.statusCode = statusCode;
  }
}

/**
 * Default {@link DatasetsApi} implementation: the common `DatasetClient` for
 * the dataset endpoints, an XMLHttpRequest for uploads (fetch cannot report
 * upload progress), and the app's fetch API for demos.
 *
 * @public
 */
export class DatasetsClient implements DatasetsApi {
  static create(options: DatasetsClientOptions): DatasetsClient {
    return new DatasetsClient(options);
  }

  private readonly datasets: DatasetClient;

  private constructor(private readonly options: DatasetsClientOptions) {
    this.datasets = DatasetClient.create({
      discoveryApi: options.discoveryApi,
      fetchApi: options.fetchApi,
    });
  }

  listDatasets(options?: { limit?: number; cursor?: string; refs?: string[] }) {
    return this.datasets.listDatasets(options);
  }

  getDataset(ref: DatasetRefParts) {
    return this.datasets.getDataset(ref);
  }

  createDataset(request: CreateDatasetRequest) {
    return this.datasets.createDataset(request);
  }

  updateDataset(ref: DatasetRefParts, changes: UpdateDatasetRequest) {
    return this.datasets.updateDataset(ref, changes);
  }

  deleteDataset(ref: DatasetRefParts) {
    return this.datasets.deleteDataset(ref);
  }

  listVersions(
    ref: DatasetRefParts,
    options?: { limit?: number; cursor?: string },
  ) {
    return this.datasets.listVersions(ref, options);
  }

  getVersion(ref: DatasetRefParts, version: VersionSelector) {
    return this.datasets.getVersion(ref, version);
  }

  getPreview(
    ref: DatasetRefParts,
    version: VersionSelector,
    options?: { limit?: number },
  ) {
    return this.datasets.getPreview(ref, version, options);
  }

  uploadVersion(
    ref: DatasetRefParts,
    file: Blob,
    options: { filename: string; changeNote?: string },
  ) {
    return this.datasets.uploadVersion(ref, file, options);
  }

  getUploadUrl(ref: DatasetRefParts) {
    return this.datasets.getUploadUrl(ref);
  }

  getContentUrl(ref: DatasetRefParts, version: VersionSelector) {
    return this.datasets.getContentUrl(ref, version);
  }

  async uploadVersionWithProgress(
    ref: DatasetRefParts,
    file: Blob,
    options: {
      filename: string;
      changeNote?: string;
      onProgress?: (progress: UploadProgress) => void;
    },
  ): Promise<DatasetVersion> {
    const url = await this.datasets.getUploadUrl(ref);
    const { token } = await this.options.identityApi.getCredentials();
    const form = new FormData();
    // The backend reads the note before the file, so it goes first.
    if (options.changeNote) {
      form.append('changeNote', options.changeNote);
    }
    form.append('file', file, options.filename);

    return new Promise<DatasetVersion>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      if (token) {
        xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      }
      xhr.upload.onprogress = event => {
        if (event.lengthComputable) {
          options.onProgress?.({ loaded: event.loaded, total: event.total });
        }
      };
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          try {
            resolve(JSON.parse(xhr.responseText) as DatasetVersion);
          } catch {
            reject(new UploadError('The backend sent an invalid answer', 502));
          }
          return;
        }
        reject(
          new UploadError(
            errorMessage(xhr.responseText) ??
              `Upload failed with status ${xhr.status}`,
            xhr.status,
          ),
        );
      };
      xhr.onerror = () =>
        reject(new UploadError('The upload could not reach the backend', 0));
      xhr.onabort = () => reject(new UploadError('The upload was aborted', 0));
      xhr.send(form);
    });
  }

  async runDemo(ref: DatasetRefParts): Promise<DemoRun> {
    return this.demoRequest<DemoRun>(ref, '/runs', { method: 'POST' });
  }

  async getDemoStats(ref: DatasetRefParts): Promise<DemoRunStats> {
    return this.demoRequest<DemoRunStats>(ref, '/stats');
  }

  private async demoRequest<T>(
    ref: DatasetRefParts,
    path: string,
    init?: RequestInit,
  ): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('dataflex');
    const response = await this.options.fetchApi.fetch(
      `${baseUrl}/demos/${encodeURIComponent(
        ref.namespace,
      )}/${encodeURIComponent(ref.name)}${path}`,
      init,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

function errorMessage(body: string): string | undefined {
  try {
    const message = JSON.parse(body)?.error?.message;
    return typeof message === 'string' && message ? message : undefined;
  } catch {
    return undefined;
  }
}
