import {
  AuthService,
  LifecycleService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogLatestVersionList } from '@dataflex/backstage-plugin-dataflex-common';
import { MissedLookups } from '../recovery/MissedLookups';

/** Reads `GET /api/dataflex/catalog/latest-versions`. */
export interface CatalogLatestVersionsReader {
  listCatalogLatestVersions(
    refs: string[],
    requestOptions: { token: string },
  ): Promise<CatalogLatestVersionList>;
}

/** A dataset's newest version in DataFlex. */
export interface LatestVersion {
  version: number;
  /** ISO 8601. */
  createdAt: string;
}

/**
 * What DataFlex says of a dataset: its newest version, `none` when it has no
 * version (or DataFlex does not know it), `unknown` when DataFlex did not
 * answer.
 */
export type LatestVersionLookup = LatestVersion | 'none' | 'unknown';

export interface LatestVersionDirectoryOptions {
  reader: CatalogLatestVersionsReader;
  auth: AuthService;
  logger: LoggerService;
  lifecycle: LifecycleService;
  /**
   * How long lookups wait for others to share a request. The catalog
   * processes several entities at once, so this gathers them.
   */
  batchWindowMs?: number;
  /** How soon to try again after DataFlex did not answer. */
  retryMs?: number;
}

const DEFAULT_BATCH_WINDOW_MS = 20;
const DEFAULT_RETRY_MS = 10_000;
/** The most refs the DataFlex endpoint takes at once. */
const MAX_REFS_PER_REQUEST = 100;

const normalize = (ref: string) =>
  stringifyEntityRef(parseEntityRef(ref)).toLocaleLowerCase('en-US');

interface Pending {
  ref: string;
  resolve: (lookup: LatestVersionLookup) => void;
}

/**
 * The newest version of datasets, asked from the DataFlex backend for the
 * datasets the catalog is processing. Nothing is cached, so a refresh right
 * after a version was published sees it; lookups made within a few
 * milliseconds of each other share one request.
 *
 * When DataFlex does not answer, the datasets looked up meanwhile are
 * remembered, DataFlex is asked again shortly, and those that turn out to
 * have versions are handed to `onRecovered` to be processed again, instead
 * of waiting for the catalog's next pass over them.
 */
export class LatestVersionDirectory {
  static create(
    options: LatestVersionDirectoryOptions,
  ): LatestVersionDirectory {
    return new LatestVersionDirectory(options);
  }

  private readonly logger: LoggerService;
  private readonly batchWindowMs: number;
  private readonly missed: MissedLookups;
  private pending: Pending[] = [];
  private flushTimer?: NodeJS.Timeout;

  private constructor(private readonly options: LatestVersionDirectoryOptions) {
    this.logger = options.logger.child({ target: 'LatestVersionDirectory' });
    this.batchWindowMs = options.batchWindowMs ?? DEFAULT_BATCH_WINDOW_MS;
    this.missed = MissedLookups.create({
      lifecycle: options.lifecycle,
      logger: this.logger,
      retryMs: options.retryMs ?? DEFAULT_RETRY_MS,
      retry: refs => this.recover(refs),
      recoveredDatasets: 'datasets with versions',
    });
  }

  /** Called with datasets that lookups missed while DataFlex was away. */
  onRecovered(listener: (entityRefs: string[]) => void): void {
    this.missed.onRecovered(listener);
  }

  latestOf(datasetRef: string): Promise<LatestVersionLookup> {
    const ref = normalize(datasetRef);
    return new Promise(resolve => {
      this.pending.push({ ref, resolve });
      if (this.pending.length >= MAX_REFS_PER_REQUEST) {
        this.flush();
      } else if (!this.flushTimer) {
        this.flushTimer = setTimeout(() => this.flush(), this.batchWindowMs);
      }
    });
  }

  private flush() {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.pending;
    this.pending = [];
    void this.answer(batch);
  }

  private async answer(batch: Pending[]) {
    const refs = [...new Set(batch.map(pending => pending.ref))];
    let latest: Map<string, LatestVersion> | undefined;
    try {
      latest = await this.read(refs);
    } catch (error) {
      this.logger.warn(
        `Could not read the latest versions of ${refs.length} datasets from DataFlex; they are left out of "recently updated" until it answers: ${error}`,
      );
      this.missed.add(refs);
      this.missed.failed();
    }
    for (const { ref, resolve } of batch) {
      resolve(latest ? latest.get(ref) ?? 'none' : 'unknown');
    }
  }

  private async read(refs: string[]): Promise<Map<string, LatestVersion>> {
    const { auth, reader } = this.options;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'dataflex',
    });
    const latest = new Map<string, LatestVersion>();
    for (let i = 0; i < refs.length; i += MAX_REFS_PER_REQUEST) {
      const { items } = await reader.listCatalogLatestVersions(
        refs.slice(i, i + MAX_REFS_PER_REQUEST),
        { token },
      );
      for (const item of items) {
        if (this.isValid(item)) {
          latest.set(normalize(item.entityRef), {
            version: item.version,
            createdAt: new Date(item.createdAt).toISOString(),
          });
        }
      }
    }
    return latest;
  }

  private isValid(item: CatalogLatestVersionList['items'][number]): boolean {
    if (
      Number.isInteger(item.version) &&
      item.version > 0 &&
      !Number.isNaN(Date.parse(item.createdAt))
    ) {
      return true;
    }
    this.logger.warn(
      `Ignoring the latest version of ${item.entityRef} from DataFlex: version ${item.version} at '${item.createdAt}'`,
    );
    return false;
  }

  private async recover(refs: string[]) {
    let latest: Map<string, LatestVersion>;
    try {
      latest = await this.read(refs);
    } catch (error) {
      this.logger.debug(`DataFlex still does not answer: ${error}`);
      this.missed.failed();
      return;
    }
    this.missed.answered(ref => latest.has(ref), refs);
  }
}
