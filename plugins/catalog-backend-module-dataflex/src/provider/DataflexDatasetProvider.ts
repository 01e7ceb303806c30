import {
  AuthService,
  DiscoveryService,
  LifecycleService,
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskRunner,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { EventParams, EventsService } from '@backstage/plugin-events-node';
import {
  DATAFLEX_EVENT_TOPICS,
  DatasetClient,
} from '@dataflex/backstage-plugin-dataflex-common';
import { RecentEventIds } from '../events/RecentEventIds';
import { catalogDatasetToEntity } from './catalogDatasetToEntity';

/** Every topic that means the set of published datasets may have changed. */
export const DATASET_EVENT_TOPICS = [
  DATAFLEX_EVENT_TOPICS.datasetCreated,
  DATAFLEX_EVENT_TOPICS.datasetUpdated,
  DATAFLEX_EVENT_TOPICS.datasetDeleted,
  DATAFLEX_EVENT_TOPICS.datasetVisibilityChanged,
  DATAFLEX_EVENT_TOPICS.versionPublished,
];

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 3 },
  // Lets the DataFlex plugin finish starting in the same backend first.
  initialDelay: { seconds: 15 },
};

/** One refresh follows a burst of events (an upload right after a create). */
const DEFAULT_EVENT_DEBOUNCE_MS = 1000;

const PAGE_SIZE = 200;

export interface DataflexDatasetProviderOptions {
  auth: AuthService;
  discovery: DiscoveryService;
  logger: LoggerService;
  scheduler: SchedulerService;
  events: EventsService;
  lifecycle: LifecycleService;
  /** How long to wait after an event for more before refreshing. */
  eventDebounceMs?: number;
}

/**
 * Publishes the datasets created through DataFlex as Dataset entities.
 *
 * Every refresh reads all of them from the DataFlex backend and replaces
 * what this provider published before (a full mutation), so deleted
 * datasets disappear. Refreshes run on a schedule and shortly after a
 * dataset event, never two at once. Datasets registered in YAML are not
 * published, even after an upload: the backend leaves them out, so they
 * stay one entity, the YAML one.
 */
export class DataflexDatasetProvider implements EntityProvider {
  static fromConfig(
    config: RootConfigService,
    options: DataflexDatasetProviderOptions,
  ): DataflexDatasetProvider {
    const scheduleConfig = config.getOptionalConfig(
      'catalog.providers.dataflex.schedule',
    );
    const schedule = scheduleConfig
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
      : DEFAULT_SCHEDULE;
    return new DataflexDatasetProvider(
      options,
      options.scheduler.createScheduledTaskRunner(schedule),
    );
  }

  private readonly logger: LoggerService;
  private readonly client: DatasetClient;
  private readonly recentEvents = RecentEventIds.create();
  private connection?: EntityProviderConnection;
  private queue: Promise<void> = Promise.resolve();
  private debounce?: NodeJS.Timeout;
  private stopped = false;

  private constructor(
    private readonly options: DataflexDatasetProviderOptions,
    private readonly taskRunner: SchedulerServiceTaskRunner,
  ) {
    this.logger = options.logger.child({ target: this.getProviderName() });
    this.client = DatasetClient.create({ discoveryApi: options.discovery });
    options.lifecycle.addShutdownHook(() => {
      this.stopped = true;
      clearTimeout(this.debounce);
    });
  }

  getProviderName(): string {
    return 'DataflexDatasetProvider';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.events.subscribe({
      id: this.getProviderName(),
      topics: DATASET_EVENT_TOPICS,
      onEvent: params => this.onEvent(params),
    });
    await this.taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: () => this.refreshAndLog('schedule'),
    });
  }

  /**
   * Reads every dataset created through DataFlex and makes them the
   * provider's entities. Throws, leaving the catalog as it was, when any
   * page cannot be read.
   */
  async refresh(): Promise<void> {
    const run = this.queue.then(() => this.readAndApply());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async onEvent(params: EventParams): Promise<void> {
    if (this.recentEvents.isRedelivery(params.eventPayload)) {
      this.logger.debug(`Ignoring a redelivered ${params.topic} event`);
      return;
    }
    // Only schedules the refresh: the events service waits for subscribers,
    // and the publisher is serving a request.
    if (this.debounce || this.stopped) {
      return;
    }
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.refreshAndLog(`event ${params.topic}`);
    }, this.options.eventDebounceMs ?? DEFAULT_EVENT_DEBOUNCE_MS);
    this.debounce.unref?.();
  }

  private async refreshAndLog(reason: string): Promise<void> {
    const started = Date.now();
    try {
      await this.refresh();
      this.logger.debug(
        `Refreshed DataFlex datasets (${reason}) in ${Date.now() - started} ms`,
      );
    } catch (error) {
      this.logger.error(
        `Could not refresh DataFlex datasets (${reason}); the catalog keeps the previous ones`,
        error as Error,
      );
    }
  }

  private async readAndApply(): Promise<void> {
    const connection = this.connection;
    if (!connection) {
      throw new Error(`${this.getProviderName()} is not connected yet`);
    }
    const { auth, discovery } = this.options;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'dataflex',
    });
    const baseUrl = await discovery.getExternalBaseUrl('dataflex');

    const entities = [];
    const cursors = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.client.listCatalogDatasets(
        { limit: PAGE_SIZE, cursor },
        { token },
      );
      for (const dataset of page.items) {
        entities.push(catalogDatasetToEntity(dataset, baseUrl));
      }
      cursor = page.nextCursor;
      if (cursor !== undefined) {
        if (cursors.has(cursor)) {
          throw new Error(
            `The DataFlex backend returned cursor ${cursor} twice; stopping rather than looping`,
          );
        }
        cursors.add(cursor);
      }
    } while (cursor !== undefined);

    await connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    this.logger.info(`Published ${entities.length} DataFlex datasets`);
  }
}
