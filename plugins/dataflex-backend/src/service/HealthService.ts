import { isError } from '@backstage/errors';
import {
  ComponentHealth,
  HealthResponse,
} from '@dataflex/backstage-plugin-dataflex-common';
import { BlobStore } from '@dataflex/backstage-plugin-dataflex-node';
import { DatasetStore } from '../database/DatasetStore';

const CHECK_TIMEOUT_MS = 5_000;

/** Checks that the database and the blob store answer, each within a deadline. */
export class HealthService {
  static create(options: {
    store: DatasetStore;
    blobStore: BlobStore;
    databaseClient: string;
  }): HealthService {
    return new HealthService(
      options.store,
      options.blobStore,
      options.databaseClient,
    );
  }

  private constructor(
    private readonly store: DatasetStore,
    private readonly blobStore: BlobStore,
    private readonly databaseClient: string,
  ) {}

  async check(): Promise<HealthResponse> {
    const [database, storage] = await Promise.all([
      probe(this.databaseClient, () => this.store.ping()),
      probe(this.blobStore.kind, () => this.blobStore.check()),
    ]);
    return {
      status:
        database.status === 'ok' && storage.status === 'ok' ? 'ok' : 'error',
      checkedAt: new Date().toISOString(),
      components: { database, storage },
    };
  }
}

async function probe(
  kind: string,
  check: () => Promise<void>,
): Promise<ComponentHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { status: 'ok', kind, latencyMs: elapsed(started) };
  } catch (error) {
    return {
      status: 'error',
      kind,
      latencyMs: elapsed(started),
      // Driver messages can echo connection strings; keep only the error class.
      message: describe(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

function describe(error: unknown): string {
  if (!isError(error)) {
    return 'check failed';
  }
  if (error.message.startsWith('no answer within')) {
    return error.message;
  }
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string'
    ? `${error.name} (${code}): check failed`
    : `${error.name}: check failed`;
}
