import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AccessGrant,
  AccessRequest,
} from '@dataflex/backstage-plugin-dataflex-common';
import Button from '@material-ui/core/Button';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  accessRequestsApiRef,
  AccessRequestsApi,
  datasetsApiRef,
} from '../../api';
import {
  AccessRequestTable,
  AccessStatus,
  actionsColumn,
  askedForColumn,
  datasetColumn,
  datasetRefParts,
  DownloadCookie,
  describeGrantScope,
  formatDateTime,
  ListFooter,
  ReasonDialog,
  RequestDecision,
  requestedColumn,
  useAccessSignal,
  useCursorList,
} from '../AccessRequestsCommon';

const PAGE_SIZE = 25;
// Grants are few per person; this only bounds a runaway loop.
const MAX_GRANT_PAGES = 10;

async function loadActiveGrants(
  api: AccessRequestsApi,
): Promise<Map<string, AccessGrant>> {
  const grants = new Map<string, AccessGrant>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_GRANT_PAGES; page++) {
    const { items, nextCursor } = await api.listOwnGrants({
      limit: 200,
      cursor,
    });
    for (const grant of items) {
      grants.set(grant.id, grant);
    }
    if (!nextCursor) {
      break;
    }
    cursor = nextCursor;
  }
  return grants;
}

/** A link to a version's content, which the backend checks again. */
const ContentLink = (props: {
  dataset: string;
  version: number | 'latest';
  label: string;
}) => {
  const datasetsApi = useApi(datasetsApiRef);
  const { dataset, version, label } = props;
  const { value: href } = useAsync(
    () => datasetsApi.getContentUrl(datasetRefParts(dataset), version),
    [datasetsApi, dataset, version],
  );
  return href ? (
    <Link href={href} download>
      {label}
    </Link>
  ) : null;
};

const GrantedAccess = (props: {
  request: AccessRequest;
  grant?: AccessGrant;
  grantsLoaded: boolean;
  downloadsReady: boolean;
}) => {
  const { request, grant, grantsLoaded, downloadsReady } = props;
  if (request.status !== 'approved') {
    return null;
  }
  if (!grant) {
    return grantsLoaded ? (
      <Typography variant="body2" color="textSecondary">
        Access ended (revoked or expired)
      </Typography>
    ) : null;
  }
  return (
    <>
      <Typography variant="body2">
        {describeGrantScope(grant)}
        {grant.endsAt ? `, until ${formatDateTime(grant.endsAt)}` : ''}
      </Typography>
      {downloadsReady && grant.toVersion === undefined && (
        <ContentLink
          dataset={request.dataset}
          version="latest"
          label="Download latest version"
        />
      )}
      {downloadsReady && grant.toVersion !== undefined && (
        <ContentLink
          dataset={request.dataset}
          version={grant.toVersion}
          label={`Download version ${grant.toVersion}`}
        />
      )}
    </>
  );
};

/**
 * The signed-in user's own access requests, newest first: what they asked
 * for, the decision and its reason, and for approved ones the access they
 * got with a download link. Pending requests can be withdrawn.
 */
export const MyRequestsTable = () => {
  const accessApi = useApi(accessRequestsApiRef);
  const list = useCursorList(
    cursor =>
      accessApi.listAccessRequests({
        role: 'requester',
        limit: PAGE_SIZE,
        cursor,
      }),
    [accessApi],
  );
  const grants = useAsyncRetry(() => loadActiveGrants(accessApi), [accessApi]);
  const [withdrawing, setWithdrawing] = useState<AccessRequest>();
  const { isSignalsAvailable } = useAccessSignal(() => {
    list.reload();
    grants.retry();
  });

  const refresh = () => {
    list.reload();
    grants.retry();
  };

  if (list.loading) {
    return <Progress />;
  }
  if (list.error && list.items.length === 0) {
    return <ResponseErrorPanel error={list.error} />;
  }
  if (list.items.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No access requests yet"
        description="Ask for access from a dataset's page with Request access."
      />
    );
  }

  return (
    <>
      {grants.error && (
        <Alert severity="warning">
          Could not load your current grants, so the download links are missing:{' '}
          {grants.error.message}
        </Alert>
      )}
      <DownloadCookie enabled={list.items.some(r => r.status === 'approved')}>
        {downloadsReady => (
          <AccessRequestTable
            label="My requests"
            requests={list.items}
            rowTestId={request => `request-${request.id}`}
            columns={[
              datasetColumn,
              askedForColumn,
              requestedColumn,
              {
                id: 'status',
                title: 'Status',
                render: request => <AccessStatus status={request.status} />,
              },
              {
                id: 'decision',
                title: 'Decision',
                wraps: true,
                render: request => (
                  <>
                    <RequestDecision request={request} variant="body2" />
                    {request.status === 'rejected' && request.retryAfter && (
                      <Typography variant="caption" color="textSecondary">
                        You may ask again after{' '}
                        {formatDateTime(request.retryAfter)}
                      </Typography>
                    )}
                  </>
                ),
              },
              {
                id: 'access',
                title: 'Access',
                render: request => (
                  <GrantedAccess
                    request={request}
                    grant={
                      request.grantId
                        ? grants.value?.get(request.grantId)
                        : undefined
                    }
                    grantsLoaded={grants.value !== undefined}
                    downloadsReady={downloadsReady}
                  />
                ),
              },
              actionsColumn(
                request =>
                  request.status === 'pending' && (
                    <Button
                      size="small"
                      onClick={() => setWithdrawing(request)}
                      aria-label={`Withdraw request for ${request.name}`}
                    >
                      Withdraw
                    </Button>
                  ),
              ),
            ]}
          />
        )}
      </DownloadCookie>
      <ListFooter list={list} onRefresh={refresh} live={isSignalsAvailable} />
      <ReasonDialog
        open={withdrawing !== undefined}
        title="Withdraw request"
        description={
          withdrawing &&
          `Withdraw your request for ${withdrawing.namespace}/${withdrawing.name}? The owners will no longer see it.`
        }
        confirmLabel="Withdraw"
        onClose={() => setWithdrawing(undefined)}
        onConfirm={async () => {
          const updated = await accessApi.withdrawAccessRequest(
            withdrawing!.id,
          );
          list.replace(r => r.id === updated.id, updated);
          setWithdrawing(undefined);
        }}
      />
    </>
  );
};
