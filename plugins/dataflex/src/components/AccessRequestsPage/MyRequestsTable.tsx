import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  AccessGrant,
  AccessRequest,
} from '@dataflex/backstage-plugin-dataflex-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
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
  AccessStatus,
  datasetRefParts,
  DownloadCookie,
  describeGrantScope,
  describeRequestScope,
  formatDateTime,
  ListFooter,
  ReasonDialog,
  useAccessSignal,
  useCursorList,
  useTableStyles,
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
  const classes = useTableStyles();
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
          <Box overflow="auto">
            <Table
              size="small"
              aria-label="My requests"
              className={classes.table}
            >
              <TableHead>
                <TableRow>
                  <TableCell>Dataset</TableCell>
                  <TableCell>Asked for</TableCell>
                  <TableCell>Requested</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Decision</TableCell>
                  <TableCell>Access</TableCell>
                  <TableCell>
                    <Typography variant="srOnly">Actions</Typography>
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {list.items.map(request => (
                  <TableRow
                    key={request.id}
                    data-testid={`request-${request.id}`}
                  >
                    <TableCell>
                      <EntityRefLink
                        entityRef={request.dataset}
                        defaultKind="dataset"
                      />
                    </TableCell>
                    <TableCell>
                      {describeRequestScope(request)}
                      {request.endsAt && (
                        <Typography variant="caption" component="div">
                          until {formatDateTime(request.endsAt)}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell>
                      <time dateTime={request.createdAt}>
                        {formatDateTime(request.createdAt)}
                      </time>
                    </TableCell>
                    <TableCell>
                      <AccessStatus status={request.status} />
                    </TableCell>
                    <TableCell className={classes.text}>
                      {request.decidedBy && (
                        <Typography variant="body2">
                          by{' '}
                          <EntityRefLink
                            entityRef={request.decidedBy}
                            defaultKind="user"
                          />
                        </Typography>
                      )}
                      {request.decisionReason && (
                        <Typography variant="body2">
                          “{request.decisionReason}”
                        </Typography>
                      )}
                      {request.status === 'rejected' && request.retryAfter && (
                        <Typography variant="caption" color="textSecondary">
                          You may ask again after{' '}
                          {formatDateTime(request.retryAfter)}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell>
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
                    </TableCell>
                    <TableCell>
                      {request.status === 'pending' && (
                        <Button
                          size="small"
                          onClick={() => setWithdrawing(request)}
                          aria-label={`Withdraw request for ${request.name}`}
                        >
                          Withdraw
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
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
