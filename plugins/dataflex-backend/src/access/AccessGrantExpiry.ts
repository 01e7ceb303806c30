import {
  AuditorService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';
import { AccessService } from './AccessService';
import { AccessGrantRecord } from './AccessStore';

/**
 * The scheduled task (one backend instance at a time) that records grants
 * whose end date has passed: it publishes `dataflex.access.expired` once per
 * grant, tells the holder and audits it. Grants stop working at their end
 * date whether or not it has run; every check compares the end date with the
 * time of the request.
 */
export class AccessGrantExpiry {
  static create(options: {
    access: AccessService;
    scheduler: SchedulerService;
    auditor: AuditorService;
    logger: LoggerService;
    frequency: HumanDuration;
  }): AccessGrantExpiry {
    return new AccessGrantExpiry(options);
  }

  private constructor(
    private readonly options: Parameters<typeof AccessGrantExpiry.create>[0],
  ) {}

  async start(): Promise<void> {
    const { scheduler, frequency } = this.options;
    await scheduler.scheduleTask({
      id: 'dataflex-access-grant-expiry',
      scope: 'global',
      frequency,
      // A run that hangs is released in time for the next one.
      timeout: frequency,
      initialDelay: { seconds: 30 },
      fn: async () => {
        await this.run();
      },
    });
  }

  /** Records every grant that has ended by `now`; returns them. */
  async run(now: Date = new Date()): Promise<AccessGrantRecord[]> {
    const { access, auditor, logger } = this.options;
    const expired = await access.expireGrants(now);
    for (const grant of expired) {
      const event = await auditor.createEvent({
        eventId: 'access-grant-expire',
        severityLevel: 'medium',
        meta: {
          grantId: grant.id,
          dataset: `dataset:${grant.dataset.namespace}/${grant.dataset.name}`,
          grantee: grant.grantee,
          endsAt: grant.endsAt ?? null,
        },
      });
      await event.success();
    }
    if (expired.length > 0) {
      logger.info(`Recorded ${expired.length} ended access grant(s)`);
    }
    return expired;
  }
}
