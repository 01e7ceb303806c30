import { randomUUID } from 'node:crypto';
import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DATAFLEX_ANNOTATIONS,
  DATASET_KIND,
  demoRunPermission,
} from '@dataflex/backstage-plugin-dataflex-common';
import { DemoRow, DemoRunner } from '@dataflex/backstage-plugin-dataflex-node';
import { DatasetRef, DatasetStore } from '../database/DatasetStore';
import { DatasetVersionStore } from '../database/DatasetVersionStore';
import { MASK, PreviewService } from '../preview/PreviewService';
import { DataflexEventPublisher } from '../service/DataflexEventPublisher';
import { DatasetAuthorizer } from '../service/DatasetAuthorizer';
import { DemoConfig } from './DemoConfig';
import { DemoRunStats, DemoRunStore } from './DemoRunStore';
import { DemoThrottle } from './DemoThrottle';

/** What a demo run returns to the user. */
export interface DemoRunResponse {
  runId: string;
  service: string;
  runner: string;
  input: {
    dataset: string;
    version: number;
    columns: string[];
    rows: DemoRow[];
  };
  output: { columns: string[]; rows: DemoRow[]; truncated: boolean };
  durationMs: number;
}

export interface DemoServiceOptions {
  catalog: CatalogService;
  auth: AuthService;
  permissions: PermissionsService;
  /** Decides who owns the service, as the policy decides who owns a dataset. */
  authorizer: DatasetAuthorizer;
  datasets: DatasetStore;
  versions: DatasetVersionStore;
  previews: PreviewService;
  runners: DemoRunner[];
  runs: DemoRunStore;
  events: DataflexEventPublisher;
  config: DemoConfig;
}

/**
 * Runs a service's demo on a bounded, masked sample of its input dataset's
 * latest version. The caller needs no access to the dataset: the sample is
 * read with DataFlex's own rights, masked, and capped before any runner sees
 * it; output is capped again. Public services' demos are open to everyone
 * signed in; others only to the service's owners.
 */
export class DemoService {
  private readonly throttle: DemoThrottle;

  static create(options: DemoServiceOptions): DemoService {
    return new DemoService(options);
  }

  private constructor(private readonly options: DemoServiceOptions) {
    this.throttle = DemoThrottle.create({
      perUserPerMinute: options.config.runsPerUserPerMinute,
      maxConcurrent: options.config.maxConcurrentRuns,
    });
  }

  async run(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    ref: DatasetRef,
    signal: AbortSignal,
  ): Promise<DemoRunResponse> {
    const service = await this.requireRunnableService(credentials, ref);
    const serviceRef = stringifyEntityRef(service);
    const userRef = credentials.principal.userEntityRef;
    const runner = this.options.runners.find(r => r.supports(service));
    if (!runner) {
      throw new InputError(`${serviceRef} declares no demo DataFlex can run`);
    }

    return this.throttle.run(userRef, async () => {
      const startedAt = new Date();
      const started = performance.now();
      let sample: Awaited<ReturnType<DemoService['readSample']>> | undefined;
      try {
        sample = await this.readSample(service);
        const limits = this.limits(service);
        const timeout = AbortSignal.timeout(limits.timeoutMs);
        const result = await runner.run({
          service,
          input: sample.rows,
          limits,
          signal: AbortSignal.any([signal, timeout]),
        });
        const rows = remask(result.rows, sample.masked).slice(
          0,
          limits.maxRows,
        );
        const durationMs = Math.round(performance.now() - started);
        const runId = randomUUID();
        const input = { dataset: sample.dataset, version: sample.version };
        const rowsIn = sample.rows.length;
        await this.options.runs.recordRun(
          {
            id: runId,
            serviceRef,
            userRef,
            runner: runner.type,
            inputDatasetRef: input.dataset,
            inputVersion: input.version,
            startedAt,
            durationMs,
            rowsIn,
            rowsOut: rows.length,
            outcome: 'succeeded',
          },
          {
            beforeCommit: transaction =>
              this.options.events.demoRun(
                userRef,
                {
                  service: serviceRef,
                  runner: runner.type,
                  outcome: 'succeeded',
                  durationMs,
                  rowsIn,
                  rowsOut: rows.length,
                  input,
                },
                { transaction },
              ),
          },
        );
        return {
          runId,
          service: serviceRef,
          runner: runner.type,
          input: {
            dataset: sample.dataset,
            version: sample.version,
            columns: sample.columns,
            rows: sample.rows,
          },
          output: {
            columns: [...new Set(rows.flatMap(row => Object.keys(row)))],
            rows,
            truncated: result.truncated || result.rows.length > rows.length,
          },
          durationMs,
        };
      } catch (error) {
        const durationMs = Math.round(performance.now() - started);
        const input = sample && {
          dataset: sample.dataset,
          version: sample.version,
        };
        const rowsIn = sample?.rows.length ?? 0;
        await this.options.runs.recordRun(
          {
            id: randomUUID(),
            serviceRef,
            userRef,
            runner: runner.type,
            inputDatasetRef: input?.dataset,
            inputVersion: input?.version,
            startedAt,
            durationMs,
            rowsIn,
            rowsOut: 0,
            outcome: 'failed',
            error: (error as Error).message,
          },
          {
            beforeCommit: transaction =>
              this.options.events.demoRun(
                userRef,
                {
                  service: serviceRef,
                  runner: runner.type,
                  outcome: 'failed',
                  durationMs,
                  rowsIn,
                  rowsOut: 0,
                  input,
                },
                { transaction },
              ),
          },
        );
        throw error;
      }
    });
  }

  async stats(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    ref: DatasetRef,
  ): Promise<DemoRunStats> {
    const service = await this.requireService(credentials, ref);
    return this.options.runs.getStats(stringifyEntityRef(service));
  }

  private async requireService(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    ref: DatasetRef,
  ): Promise<Entity> {
    // Read with the caller's rights: a service they cannot see does not exist.
    const service = await this.options.catalog.getEntityByRef(
      { kind: 'Component', namespace: ref.namespace, name: ref.name },
      { credentials },
    );
    if (!service || (service.spec as { type?: unknown })?.type !== 'service') {
      throw new NotFoundError(
        `No service component:${ref.namespace}/${ref.name}`,
      );
    }
    return service;
  }

  private async requireRunnableService(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    ref: DatasetRef,
  ): Promise<Entity> {
    const service = await this.requireService(credentials, ref);
    const [decision] = await this.options.permissions.authorize(
      [{ permission: demoRunPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('You may not run demos');
    }
    const isPublic =
      service.metadata.annotations?.[DATAFLEX_ANNOTATIONS.public] === 'true';
    if (!isPublic && !(await this.isOwner(credentials, service))) {
      throw new NotAllowedError(
        `The demo of ${stringifyEntityRef(
          service,
        )} is not public; only its owners may run it`,
      );
    }
    return service;
  }

  /**
   * Whether the policy would let the caller manage a dataset with the
   * service's owner: its owner rule follows nested groups and lets admins
   * in, which the token's own ownership refs (direct groups only) do not.
   */
  private async isOwner(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
    service: Entity,
  ): Promise<boolean> {
    const owners = (service.relations ?? [])
      .filter(r => r.type === RELATION_OWNED_BY)
      .map(r => r.targetRef.toLocaleLowerCase('en-US'));
    for (const owner of owners) {
      if (
        await this.options.authorizer.mayManage(credentials, {
          namespace: service.metadata.namespace ?? 'default',
          name: service.metadata.name,
          owner,
          visibility: 'private',
        })
      ) {
        return true;
      }
    }
    return false;
  }

  private limits(service: Entity) {
    const { config } = this.options;
    const annotated = Number(
      service.metadata.annotations?.[DATAFLEX_ANNOTATIONS.demoTimeoutMs],
    );
    return {
      maxRows: config.maxSampleRows,
      timeoutMs:
        Number.isInteger(annotated) && annotated > 0
          ? Math.min(annotated, config.maxTimeoutMs)
          : config.maxTimeoutMs,
      maxResponseBytes: config.maxResponseBytes,
    };
  }

  /** The masked sample, read with DataFlex's own rights, never above the cap. */
  private async readSample(service: Entity) {
    const { config } = this.options;
    const annotations = service.metadata.annotations ?? {};
    const input = annotations[DATAFLEX_ANNOTATIONS.demoInput];
    if (!input) {
      throw new InputError(
        `${stringifyEntityRef(service)} names no demo input dataset`,
      );
    }
    const parsed = parseEntityRef(input, {
      defaultKind: DATASET_KIND,
      defaultNamespace: service.metadata.namespace ?? 'default',
    });
    const ref = {
      namespace: parsed.namespace.toLocaleLowerCase('en-US'),
      name: parsed.name.toLocaleLowerCase('en-US'),
    };
    const datasetRef = `dataset:${ref.namespace}/${ref.name}`;
    const dataset = await this.options.datasets.getDataset(ref);
    const version = dataset
      ? await this.options.versions.getVersion(dataset.id, 'latest')
      : undefined;
    if (!dataset || !version) {
      throw new NotFoundError(
        `The demo's input dataset ${datasetRef} has no data uploaded yet`,
      );
    }
    const requested = Number(annotations[DATAFLEX_ANNOTATIONS.demoSampleRows]);
    const rowsWanted = Math.min(
      Number.isInteger(requested) && requested > 0
        ? requested
        : config.defaultSampleRows,
      config.maxSampleRows,
    );
    const preview = await this.options.previews.preview(
      ref,
      version,
      rowsWanted,
    );
    const columns = preview.columns.map(c => c.name);
    const rows = preview.rows
      .slice(0, rowsWanted)
      .map(values =>
        Object.fromEntries(columns.map((name, i) => [name, values[i]])),
      );
    return {
      dataset: datasetRef,
      version: version.version,
      columns,
      rows,
      masked: new Set<string>(
        preview.columns.filter(c => c.masked).map(c => c.name),
      ),
    };
  }
}

/**
 * A runner only ever sees masked values, but a service could echo a masked
 * column under its own name; keep such columns masked in the output too.
 */
function remask(rows: DemoRow[], masked: Set<string>): DemoRow[] {
  if (masked.size === 0) {
    return rows;
  }
  return rows.map(row =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [
        key,
        masked.has(key) ? MASK : value,
      ]),
    ),
  );
}
