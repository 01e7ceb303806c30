import {
  AuthService,
  LifecycleService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventParams, EventsService } from '@backstage/plugin-events-node';
import {
  DATAFLEX_EVENT_TOPICS,
  DATASET_KIND,
} from '@dataflex/backstage-plugin-dataflex-common';
import { RecentEventIds } from '../events/RecentEventIds';
import { LatestVersionDirectory } from '../versions/LatestVersionDirectory';
import { GranteeDirectory } from './GranteeDirectory';

/** Every topic that means a dataset's grant holders may have changed. */
export const GRANT_EVENT_TOPICS = [
  DATAFLEX_EVENT_TOPICS.accessApproved,
  DATAFLEX_EVENT_TOPICS.accessRevoked,
  DATAFLEX_EVENT_TOPICS.accessExpired,
];

/** Every topic the refresher acts on. */
export const REFRESH_EVENT_TOPICS = [
  ...GRANT_EVENT_TOPICS,
  DATAFLEX_EVENT_TOPICS.versionPublished,
];

/** Margin on top of the grantee cache's lifetime for the second refresh. */
const SECOND_REFRESH_MARGIN_MS = 1000;

/** Past a grant's end date, so that DataFlex no longer lists it. */
const END_MARGIN_MS = 1000;

/**
 * The longest `setTimeout` delay (about 24 days). Grants ending later are
 * left to DataFlex's expiry event and the catalog's regular processing.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface DatasetSharingRefresherOptions {
  events: EventsService;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  lifecycle: LifecycleService;
  grantees: GranteeDirectory;
  latestVersions: LatestVersionDirectory;
}

/**
 * Has the catalog process a dataset again as soon as DataFlex announces a
 * change to its grants (approved, revoked, expired), so its `sharedWith`
 * relations, and with them who may read it, follow within seconds instead
 * of at the catalog's next pass over it.
 *
 * The entity is refreshed twice: at once, after this instance's grantee
 * cache was emptied, and again once any other catalog instance's cache has
 * expired, since in a multi-instance deployment any of them may process it.
 *
 * A new version gets the dataset processed again too, once (nothing caches
 * versions), so that its latest-version annotations, and with them the
 * "recently updated" order, follow within seconds.
 */
export class DatasetSharingRefresher {
  static create(options: DatasetSharingRefresherOptions) {
    return new DatasetSharingRefresher(options);
  }

  private readonly logger: LoggerService;
  private readonly recentEvents = RecentEventIds.create();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  private constructor(
    private readonly options: DatasetSharingRefresherOptions,
  ) {
    this.logger = options.logger.child({ target: 'DatasetSharingRefresher' });
    options.lifecycle.addShutdownHook(() => {
      this.stopped = true;
      for (const timer of this.timers) {
        clearTimeout(timer);
      }
    });
  }

  async start(): Promise<void> {
    const onRecovered = (refs: string[]) => {
      for (const ref of refs) {
        void this.refresh(ref, 'DataFlex answers again');
      }
    };
    this.options.grantees.onRecovered(onRecovered);
    this.options.latestVersions.onRecovered(onRecovered);
    await this.options.events.subscribe({
      id: 'DatasetSharingRefresher',
      topics: REFRESH_EVENT_TOPICS,
      onEvent: params => this.onEvent(params),
    });
  }

  private async onEvent(params: EventParams): Promise<void> {
    if (this.recentEvents.isRedelivery(params.eventPayload)) {
      this.logger.debug(`Ignoring a redelivered ${params.topic} event`);
      return;
    }
    const dataset = readDatasetSubject(params.eventPayload);
    if (!dataset) {
      this.logger.warn(
        `Ignoring a ${params.topic} event whose subject is not a dataset ref`,
      );
      return;
    }
    if (params.topic === DATAFLEX_EVENT_TOPICS.versionPublished) {
      void this.refresh(dataset, params.topic);
      return;
    }
    this.reprocess(dataset, params.topic);

    // A grant stops working at its end date, and DataFlex stops listing it
    // then, but announces it only when its expiry task next runs (every few
    // minutes): reprocess the dataset at the end date itself.
    const endsAt = readGrantEnd(params);
    if (endsAt !== undefined) {
      const delayMs = endsAt - Date.now() + END_MARGIN_MS;
      if (delayMs > 0 && delayMs <= MAX_TIMER_MS) {
        this.later(delayMs, async () =>
          this.reprocess(dataset, 'the end of a grant'),
        );
      }
    }
  }

  private reprocess(dataset: string, reason: string) {
    // Before anything processes the dataset again: lookups must not answer
    // from a read made before the change.
    this.options.grantees.invalidate();
    // Only schedules the refreshes: the events service waits for
    // subscribers, and the publisher is serving a request.
    void this.refresh(dataset, reason);
    this.later(
      this.options.grantees.maxStalenessMs + SECOND_REFRESH_MARGIN_MS,
      () => this.refresh(dataset, `${reason}, once caches expired`),
    );
  }

  private later(delayMs: number, fn: () => Promise<void>) {
    if (this.stopped) {
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void fn();
    }, delayMs);
    timer.unref?.();
    this.timers.add(timer);
  }

  private async refresh(entityRef: string, reason: string): Promise<void> {
    if (this.stopped) {
      return;
    }
    const { auth, catalog } = this.options;
    try {
      await catalog.refreshEntity(entityRef, {
        credentials: await auth.getOwnServiceCredentials(),
      });
      this.logger.debug(`Refreshing ${entityRef} (${reason})`);
    } catch (error) {
      // A dataset DataFlex knows but the catalog does not (yet): the
      // catalog reads the grants when it first processes it anyway.
      this.logger.warn(
        `Could not refresh ${entityRef} after ${reason}; its grant holders see the change at the catalog's next pass over it: ${error}`,
      );
    }
  }
}

function readGrantEnd(params: EventParams): number | undefined {
  if (params.topic !== DATAFLEX_EVENT_TOPICS.accessApproved) {
    return undefined;
  }
  const endsAt = (
    params.eventPayload as { data?: { grant?: { endsAt?: unknown } } }
  ).data?.grant?.endsAt;
  if (typeof endsAt !== 'string') {
    return undefined;
  }
  const time = Date.parse(endsAt);
  return Number.isNaN(time) ? undefined : time;
}

function readDatasetSubject(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) {
    return undefined;
  }
  const subject = (payload as { subject?: unknown }).subject;
  if (typeof subject !== 'string') {
    return undefined;
  }
  try {
    const ref = parseEntityRef(subject);
    return ref.kind.toLocaleLowerCase('en-US') ===
      DATASET_KIND.toLocaleLowerCase('en-US')
      ? stringifyEntityRef(ref)
      : undefined;
  } catch {
    return undefined;
  }
}
