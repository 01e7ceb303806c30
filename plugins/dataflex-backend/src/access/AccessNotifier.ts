import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  ACCESS_SIGNAL_CHANNEL,
  AccessSignal,
} from '@dataflex/backstage-plugin-dataflex-common';
import { AccessGrantRecord, AccessRequestRecord } from './AccessStore';

/** The frontend route of the access inbox (my requests, pending approvals). */
export const ACCESS_INBOX_LINK = '/dataflex/access';

/**
 * Tells people about access changes that concern them: owners about new
 * requests, requesters about decisions, grantees about grants that start or
 * end. Notifications go through the notifications backend, which expands a
 * group into its users (members of groups below it included) and shows them
 * in the bell (and mails them when the email module is installed); signals
 * update an open inbox right away. Justifications and reasons stay out of
 * both: the inbox shows them to those allowed to see them.
 *
 * The change is committed before anyone is told, so a failure here is
 * logged and never fails the request.
 */
export class AccessNotifier {
  static create(options: {
    notifications: NotificationService;
    signals: SignalsService;
    logger: LoggerService;
  }): AccessNotifier {
    return new AccessNotifier(
      options.notifications,
      options.signals,
      options.logger,
    );
  }

  private constructor(
    private readonly notifications: NotificationService,
    private readonly signals: SignalsService,
    private readonly logger: LoggerService,
  ) {}

  async requested(request: AccessRequestRecord): Promise<void> {
    const { dataset } = request;
    await this.tell(
      [dataset.owner],
      {
        title: `Access request for dataset ${dataset.namespace}/${dataset.name}`,
        description: `${request.requester} asks for ${describeScope(
          request.scope === 'version'
            ? { fromVersion: request.version, toVersion: request.version }
            : { fromVersion: request.version },
        )}${until(request.endsAt)}. Open Access requests to review it.`,
        link: approvalsLink(request),
        scope: `dataflex:access-request:${request.id}`,
      },
      {
        type: 'request-created',
        dataset: datasetRef(request),
        requestId: request.id,
        status: request.status,
      },
      request.requester,
    );
  }

  async decided(request: AccessRequestRecord): Promise<void> {
    const { dataset } = request;
    const approved = request.status === 'approved';
    await this.tell(
      [request.requester],
      {
        title: `Your access request for ${dataset.namespace}/${dataset.name} was ${request.status}`,
        description: approved
          ? `${request.decidedBy} approved it; you can download the granted versions now.`
          : `${request.decidedBy} rejected it. Open Access requests for the reason.`,
        link: approved ? datasetLink(request) : ACCESS_INBOX_LINK,
        severity: approved ? 'normal' : 'high',
      },
      {
        type: 'request-decided',
        dataset: datasetRef(request),
        requestId: request.id,
        status: request.status,
      },
    );
    // Other owners' inboxes drop the request from their pending approvals.
    await this.signal([dataset.owner], {
      type: 'request-decided',
      dataset: datasetRef(request),
      requestId: request.id,
      status: request.status,
    });
  }

  async withdrawn(request: AccessRequestRecord): Promise<void> {
    await this.signal([request.dataset.owner, request.requester], {
      type: 'request-withdrawn',
      dataset: datasetRef(request),
      requestId: request.id,
      status: request.status,
    });
  }

  async granted(grant: AccessGrantRecord): Promise<void> {
    const { dataset } = grant;
    await this.tell(
      [grant.grantee],
      {
        title: `You were given access to dataset ${dataset.namespace}/${dataset.name}`,
        description: `${grant.createdBy} granted ${describeScope(grant)}${until(
          grant.endsAt,
        )}.`,
        link: datasetLink(grant),
      },
      {
        type: 'grant-created',
        dataset: datasetRef(grant),
        grantId: grant.id,
      },
      grant.createdBy,
    );
  }

  async ended(grant: AccessGrantRecord): Promise<void> {
    const { dataset } = grant;
    const revoked = grant.revokedAt !== undefined;
    await this.tell(
      [grant.grantee],
      {
        title: `Your access to dataset ${dataset.namespace}/${dataset.name} ${
          revoked ? 'was revoked' : 'has ended'
        }`,
        description: revoked
          ? `${grant.revokedBy} revoked ${describeScope(grant)}.`
          : `The grant of ${describeScope(grant)} reached its end date.`,
        link: datasetLink(grant),
      },
      {
        type: 'grant-ended',
        dataset: datasetRef(grant),
        grantId: grant.id,
        status: revoked ? 'revoked' : 'expired',
      },
      grant.revokedBy,
    );
  }

  private async tell(
    recipients: string[],
    payload: {
      title: string;
      description: string;
      link: string;
      scope?: string;
      severity?: 'high' | 'normal';
    },
    signal: AccessSignal,
    exclude?: string,
  ): Promise<void> {
    try {
      await this.notifications.send({
        recipients: {
          type: 'entity',
          entityRef: recipients,
          // Whoever caused the change does not need to hear about it.
          excludeEntityRef: exclude,
        },
        payload: {
          ...payload,
          topic: 'DataFlex access',
          severity: payload.severity ?? 'normal',
        },
      });
    } catch (error) {
      this.logger.error(
        `Could not notify ${recipients.join(', ')} about ${signal.type} on ${
          signal.dataset
        }`,
        error as Error,
      );
    }
    await this.signal(recipients, signal);
  }

  private async signal(recipients: string[], message: AccessSignal) {
    try {
      await this.signals.publish({
        // Signals reach users whose ownership refs include a recipient, so a
        // group ref reaches its direct members.
        recipients: { type: 'user', entityRef: recipients },
        channel: ACCESS_SIGNAL_CHANNEL,
        message: Object.fromEntries(
          Object.entries(message).filter(([, v]) => v !== undefined),
        ) as Record<string, string>,
      });
    } catch (error) {
      this.logger.warn(
        `Could not signal ${message.type} on ${message.dataset}: ${error}`,
      );
    }
  }
}

function datasetRef(item: { dataset: { namespace: string; name: string } }) {
  return `dataset:${item.dataset.namespace}/${item.dataset.name}`;
}

function datasetLink(item: { dataset: { namespace: string; name: string } }) {
  return `/catalog/${encodeURIComponent(
    item.dataset.namespace,
  )}/dataset/${encodeURIComponent(item.dataset.name)}`;
}

/** "version 2", "versions 2 to 4", "version 2 and later". */
export function describeScope(scope: {
  fromVersion: number;
  toVersion?: number;
}): string {
  if (scope.toVersion === undefined) {
    return `version ${scope.fromVersion} and later`;
  }
  return scope.toVersion === scope.fromVersion
    ? `version ${scope.fromVersion}`
    : `versions ${scope.fromVersion} to ${scope.toVersion}`;
}

function until(endsAt: string | undefined): string {
  return endsAt ? ` until ${endsAt}` : '';
}

/** The owners' pending approvals tab, filtered to the request's dataset. */
function approvalsLink(request: AccessRequestRecord): string {
  const params = new URLSearchParams({
    tab: 'approvals',
    dataset: datasetRef(request),
  });
  return `${ACCESS_INBOX_LINK}?${params}`;
}
