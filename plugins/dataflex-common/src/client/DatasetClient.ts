import { ResponseError } from '@backstage/errors';
import { DefaultApiClient, TypedResponse } from '../schema/openapi';
import {
  CatalogDatasetList,
  CreateDatasetRequest,
  Dataset,
  DatasetList,
  DatasetPreview,
  DatasetVersion,
  DatasetVersionList,
  UpdateDatasetRequest,
} from '../types';

/**
 * Identifies a dataset: its catalog namespace and name.
 *
 * @public
 */
export interface DatasetRefParts {
  namespace: string;
  name: string;
}

/**
 * A version number or `latest`.
 *
 * @public
 */
export type VersionSelector = number | 'latest';

/**
 * The DataFlex dataset API.
 *
 * @public
 */
export interface DatasetApi {
  /**
   * The datasets the caller may see, a page at a time; with `refs` (up to
   * 100 entity refs) only those of them, e.g. for a page of cards.
   */
  listDatasets(options?: {
    limit?: number;
    cursor?: string;
    refs?: string[];
  }): Promise<DatasetList>;
  getDataset(ref: DatasetRefParts): Promise<Dataset>;
  createDataset(request: CreateDatasetRequest): Promise<Dataset>;
  updateDataset(
    ref: DatasetRefParts,
    changes: UpdateDatasetRequest,
  ): Promise<Dataset>;
  deleteDataset(ref: DatasetRefParts): Promise<void>;
  listVersions(
    ref: DatasetRefParts,
    options?: { limit?: number; cursor?: string },
  ): Promise<DatasetVersionList>;
  getVersion(
    ref: DatasetRefParts,
    version: VersionSelector,
  ): Promise<DatasetVersion>;
  getPreview(
    ref: DatasetRefParts,
    version: VersionSelector,
    options?: { limit?: number },
  ): Promise<DatasetPreview>;
  /**
   * Uploads a new version. Browsers that need upload progress send the same
   * multipart request to {@link DatasetApi.getUploadUrl} themselves.
   */
  uploadVersion(
    ref: DatasetRefParts,
    file: Blob,
    options: { filename: string; changeNote?: string },
  ): Promise<DatasetVersion>;
  /** Where to POST a multipart upload (fields `file` and `changeNote`). */
  getUploadUrl(ref: DatasetRefParts): Promise<string>;
  /**
   * Where a version's content downloads from: a link a signed-in browser
   * can follow with its Backstage user cookie.
   */
  getContentUrl(
    ref: DatasetRefParts,
    version: VersionSelector,
  ): Promise<string>;
}

/**
 * A {@link DatasetApi} over HTTP, built on the client generated from the
 * backend's OpenAPI spec. Failed requests throw a `ResponseError` carrying
 * the backend's error message.
 *
 * @public
 */
export class DatasetClient implements DatasetApi {
  static create(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi?: { fetch: typeof fetch };
  }): DatasetClient {
    return new DatasetClient(
      options.discoveryApi,
      options.fetchApi ?? {
        fetch: (...args) => fetch(...args),
      },
    );
  }

  private readonly api: DefaultApiClient;

  private constructor(
    private readonly discoveryApi: {
      getBaseUrl(pluginId: string): Promise<string>;
    },
    private readonly fetchApi: { fetch: typeof fetch },
  ) {
    this.api = new DefaultApiClient({ discoveryApi, fetchApi });
  }

  async listDatasets(
    options: { limit?: number; cursor?: string; refs?: string[] } = {},
  ) {
    const { refs, ...query } = options;
    return json(this.api.listDatasets({ query: { ...query, ref: refs } }));
  }

  async getDataset(ref: DatasetRefParts) {
    return json(this.api.getDataset({ path: ref }));
  }

  async createDataset(request: CreateDatasetRequest) {
    return json(this.api.createDataset({ body: request }));
  }

  async updateDataset(ref: DatasetRefParts, changes: UpdateDatasetRequest) {
    return json(this.api.updateDataset({ path: ref, body: changes }));
  }

  async deleteDataset(ref: DatasetRefParts) {
    await ok(this.api.deleteDataset({ path: ref }));
  }

  async listVersions(
    ref: DatasetRefParts,
    options: { limit?: number; cursor?: string } = {},
  ) {
    return json(this.api.listDatasetVersions({ path: ref, query: options }));
  }

  async getVersion(ref: DatasetRefParts, version: VersionSelector) {
    return json(
      this.api.getDatasetVersion({
        path: { ...ref, version: String(version) },
      }),
    );
  }

  async getPreview(
    ref: DatasetRefParts,
    version: VersionSelector,
    options: { limit?: number } = {},
  ) {
    return json(
      this.api.getDatasetVersionPreview({
        path: { ...ref, version: String(version) },
        query: options,
      }),
    );
  }

  async uploadVersion(
    ref: DatasetRefParts,
    file: Blob,
    options: { filename: string; changeNote?: string },
  ): Promise<DatasetVersion> {
    const form = new FormData();
    if (options.changeNote) {
      form.append('changeNote', options.changeNote);
    }
    form.append('file', file, options.filename);
    // The generated client cannot send multipart bodies.
    const response = await this.fetchApi.fetch(await this.getUploadUrl(ref), {
      method: 'POST',
      body: form,
    });
    return json(Promise.resolve(response as TypedResponse<DatasetVersion>));
  }

  /**
   * Every dataset created through DataFlex, private ones included, with its
   * latest version's format and columns. Only backend services may call it,
   * with their own service `token` for the `dataflex` plugin.
   */
  async listCatalogDatasets(
    options: { limit?: number; cursor?: string },
    requestOptions: { token: string },
  ): Promise<CatalogDatasetList> {
    return json(
      this.api.listCatalogDatasets({ query: options }, requestOptions),
    );
  }

  async getUploadUrl(ref: DatasetRefParts) {
    return `${await this.datasetUrl(ref)}/versions`;
  }

  async getContentUrl(ref: DatasetRefParts, version: VersionSelector) {
    return `${await this.datasetUrl(ref)}/versions/${encodeURIComponent(
      String(version),
    )}/content`;
  }

  private async datasetUrl(ref: DatasetRefParts) {
    const baseUrl = await this.discoveryApi.getBaseUrl('dataflex');
    return `${baseUrl}/datasets/${encodeURIComponent(
      ref.namespace,
    )}/${encodeURIComponent(ref.name)}`;
  }
}

async function ok(request: Promise<Response>): Promise<Response> {
  const response = await request;
  if (!response.ok) {
    throw await ResponseError.fromResponse(response);
  }
  return response;
}

async function json<T>(request: Promise<TypedResponse<T>>): Promise<T> {
  const response = await ok(request as Promise<Response>);
  return (await response.json()) as T;
}
