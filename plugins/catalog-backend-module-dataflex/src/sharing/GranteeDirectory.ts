import {
  AuthService,
  LifecycleService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { MissedLookups } from '../recovery/MissedLookups';

/** One page of `GET /api/dataflex/catalog/grantees`. */
export interface CatalogGranteesPage {
  items: Array<{ entityRef: string; grantees: string[] }>;
  nextCursor?: string;
}

/** Reads who holds active grants on which dataset from the DataFlex backend. */
export interface CatalogGranteesReader {
  listCatalogGrantees(
    options: { limit?: number; cursor?: string },
    requestOptions: { token: string },
  ): Promise<CatalogGranteesPage>;
}

export interface GranteeDirectoryOptions {
  reader: CatalogGranteesReader;
  auth: AuthService;
  logger: LoggerService;
  lifecycle: LifecycleService;
  /**
   * How long one read of every grant answers lookups. The catalog processes
   * entities in batches, so this keeps it to one request per pass.
   */
  cacheTtlMs?: number;
  /** How soon to try again after DataFlex did not answer. */
  retryMs?: number;
}

const DEFAULT_CACHE_TTL_MS = 3000;
const DEFAULT_RETRY_MS = 10_000;
/** The largest page the DataFlex API serves. */
const PAGE_SIZE = 200;

const normalize = (ref: string) =>
  stringifyEntityRef(parseEntityRef(ref)).toLocaleLowerCase('en-US');

type Snapshot = Map<string, string[]> | undefined;

/**
 * Who holds an active grant on which dataset, read from the DataFlex backend
 * as a whole and kept for a few seconds.
 *
 * When DataFlex does not answer, every dataset looks unshared (fail closed:
 * a private dataset is hidden rather than shown to someone whose grant may
 * have ended). The datasets looked up meanwhile are remembered, DataFlex is
 * asked again shortly, and those that turn out to be shared are handed to
 * `onRecovered` to be processed again, instead of waiting for the catalog's
 * next pass over them.
 */
export class GranteeDirectory {
  static create(options: GranteeDirectoryOptions): GranteeDirectory {
    return new GranteeDirectory(options);
  }

  private readonly logger: LoggerService;
  private readonly cacheTtlMs: number;
  private readonly missed: MissedLookups;
  private current?: { snapshot: Promise<Snapshot>; startedAt: number };

  private constructor(private readonly options: GranteeDirectoryOptions) {
    this.logger = options.logger.child({ target: 'GranteeDirectory' });
    this.cacheTtlMs = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    this.missed = MissedLookups.create({
      lifecycle: options.lifecycle,
      logger: this.logger,
      retryMs: options.retryMs ?? DEFAULT_RETRY_MS,
      // One read answers for every dataset.
      retry: () => {
        this.invalidate();
        void this.snapshot();
      },
      recoveredDatasets: 'shared datasets',
    });
  }

  /** How long a lookup may answer from an earlier read. */
  get maxStalenessMs(): number {
    return this.cacheTtlMs;
  }

  /** Called with datasets that lookups missed while DataFlex was away. */
  onRecovered(listener: (entityRefs: string[]) => void): void {
    this.missed.onRecovered(listener);
  }

  /**
   * The users and groups (entity refs, lower case) holding an active grant
   * on a dataset; none when DataFlex cannot say.
   */
  async granteesOf(datasetRef: string): Promise<string[]> {
    const ref = normalize(datasetRef);
    const snapshot = await this.snapshot();
    if (!snapshot) {
      this.missed.add([ref]);
      return [];
    }
    return snapshot.get(ref) ?? [];
  }

  /**
   * Forgets what was read, so that lookups from now on see a grant change
   * that has just been announced.
   */
  invalidate(): void {
    this.current = undefined;
  }

  private snapshot(): Promise<Snapshot> {
    const now = Date.now();
    if (!this.current || now - this.current.startedAt >= this.cacheTtlMs) {
      this.current = { snapshot: this.read(), startedAt: now };
    }
    return this.current.snapshot;
  }

  private async read(): Promise<Snapshot> {
    let snapshot: Map<string, string[]>;
    try {
      snapshot = await this.readAll();
    } catch (error) {
      this.logger.warn(
        `Could not read dataset grants from DataFlex; private datasets stay hidden from grant holders until it answers: ${error}`,
      );
      this.missed.failed();
      return undefined;
    }
    this.missed.answered(ref => (snapshot.get(ref)?.length ?? 0) > 0);
    return snapshot;
  }

  private async readAll(): Promise<Map<string, string[]>> {
    const { auth, reader } = this.options;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'dataflex',
    });
    const snapshot = new Map<string, string[]>();
    const cursors = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await reader.listCatalogGrantees(
        { limit: PAGE_SIZE, cursor },
        { token },
      );
      for (const { entityRef, grantees } of page.items) {
        snapshot.set(normalize(entityRef), this.validGrantees(grantees));
      }
      cursor = page.nextCursor;
      if (cursor !== undefined) {
        if (cursors.has(cursor)) {
          throw new Error(
            `DataFlex returned cursor ${cursor} twice; stopping rather than looping`,
          );
        }
        cursors.add(cursor);
      }
    } while (cursor !== undefined);
    return snapshot;
  }

  private validGrantees(grantees: string[]): string[] {
    const valid = [];
    for (const grantee of grantees) {
      try {
        const ref = parseEntityRef(grantee);
        if (
          ref.kind.toLocaleLowerCase('en-US') !== 'user' &&
          ref.kind.toLocaleLowerCase('en-US') !== 'group'
        ) {
          throw new Error('not a user or group');
        }
        valid.push(normalize(grantee));
      } catch (error) {
        this.logger.warn(
          `Ignoring grantee '${grantee}' from DataFlex: ${error}`,
        );
      }
    }
    return valid;
  }
}
