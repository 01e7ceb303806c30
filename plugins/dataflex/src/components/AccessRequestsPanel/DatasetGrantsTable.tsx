import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  ACCESS_REQUEST_LIMITS,
  AccessGrant,
  AccessGrantStatus,
  DatasetRefParts,
} from '@dataflex/backstage-plugin-dataflex-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { accessRequestsApiRef } from '../../api';
import {
  AccessStatus,
  describeGrantScope,
  formatDateTime,
  ListFooter,
  ReasonDialog,
  useAccessSignal,
  useCursorList,
  useTableStyles,
} from '../AccessRequestsCommon';

import { GrantAccessForm } from './GrantAccessForm';

const PAGE_SIZE = 25;

type StatusFilter = AccessGrantStatus | 'all';

/**
 * A dataset's grants for its owners and admins: who holds which versions
 * until when and who granted them, with a revoke button (confirmed, with an
 * optional reason) for active ones, and the form to grant access directly.
 */
export const DatasetGrantsTable = (props: {
  datasetRef: DatasetRefParts;
  /** The dataset's versions, newest first. */
  versions: number[];
}) => {
  const { datasetRef, versions } = props;
  const accessApi = useApi(accessRequestsApiRef);
  const classes = useTableStyles();
  const [status, setStatus] = useState<StatusFilter>('active');
  const [revoking, setRevoking] = useState<AccessGrant>();
  const list = useCursorList(
    cursor =>
      accessApi.listDatasetGrants(datasetRef, {
        status: status === 'all' ? undefined : status,
        limit: PAGE_SIZE,
        cursor,
      }),
    [accessApi, datasetRef.namespace, datasetRef.name, status],
  );
  const datasetEntityRef = `dataset:${datasetRef.namespace}/${datasetRef.name}`;
  const { isSignalsAvailable } = useAccessSignal(signal => {
    if (signal.dataset === datasetEntityRef) {
      list.reload();
    }
  });

  let body;
  if (list.loading) {
    body = <Progress />;
  } else if (list.error && list.items.length === 0) {
    body = <ResponseErrorPanel error={list.error} />;
  } else if (list.items.length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        {status === 'active'
          ? 'Nobody outside the owners has access.'
          : 'No grants.'}
      </Typography>
    );
  } else {
    body = (
      <Box overflow="auto">
        <Table size="small" aria-label="Grants" className={classes.table}>
          <TableHead>
            <TableRow>
              <TableCell>Grantee</TableCell>
              <TableCell>Versions</TableCell>
              <TableCell>Ends</TableCell>
              <TableCell>Granted by</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>
                <Typography variant="srOnly">Actions</Typography>
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {list.items.map(grant => (
              <TableRow key={grant.id} data-testid={`grant-${grant.id}`}>
                <TableCell>
                  <EntityRefLink entityRef={grant.grantee} defaultKind="user" />
                </TableCell>
                <TableCell>{describeGrantScope(grant)}</TableCell>
                <TableCell>
                  {grant.endsAt ? formatDateTime(grant.endsAt) : 'No end'}
                </TableCell>
                <TableCell>
                  <EntityRefLink
                    entityRef={grant.createdBy}
                    defaultKind="user"
                  />
                  <Typography variant="caption" component="div">
                    {formatDateTime(grant.createdAt)}
                    {grant.requestId ? ', on request' : ', directly'}
                  </Typography>
                </TableCell>
                <TableCell>
                  <AccessStatus status={grant.status} />
                  {grant.revokedBy && (
                    <Typography variant="caption" component="div">
                      by{' '}
                      <EntityRefLink
                        entityRef={grant.revokedBy}
                        defaultKind="user"
                      />
                      {grant.revokeReason ? `: “${grant.revokeReason}”` : ''}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  {grant.status === 'active' && (
                    <Button
                      size="small"
                      color="secondary"
                      onClick={() => setRevoking(grant)}
                      aria-label={`Revoke access of ${grant.grantee}`}
                    >
                      Revoke
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    );
  }

  return (
    <>
      <Box display="flex" alignItems="center" mb={1}>
        <TextField
          id="dataflex-grants-status"
          select
          size="small"
          variant="outlined"
          label="Status"
          value={status}
          onChange={e => setStatus(e.target.value as StatusFilter)}
        >
          <MenuItem value="active">Active</MenuItem>
          <MenuItem value="revoked">Revoked</MenuItem>
          <MenuItem value="expired">Expired</MenuItem>
          <MenuItem value="all">All</MenuItem>
        </TextField>
      </Box>
      {body}
      {!list.loading && (
        <ListFooter
          list={list}
          onRefresh={list.reload}
          live={isSignalsAvailable}
        />
      )}
      <Box mt={3}>
        <GrantAccessForm
          datasetRef={datasetRef}
          versions={versions}
          onGranted={list.reload}
        />
      </Box>
      <ReasonDialog
        open={revoking !== undefined}
        title="Revoke access"
        description={
          revoking &&
          `${revoking.grantee} loses access to ${describeGrantScope(
            revoking,
          )} with their next request.`
        }
        confirmLabel="Revoke"
        reason={{
          label: 'Reason (optional)',
          required: false,
          maxLength: ACCESS_REQUEST_LIMITS.reasonMaxLength,
        }}
        onClose={() => setRevoking(undefined)}
        onConfirm={async reason => {
          const updated = await accessApi.revokeGrant(revoking!.id, {
            reason: reason || undefined,
          });
          list.replace(g => g.id === updated.id, updated);
          setRevoking(undefined);
        }}
      />
    </>
  );
};
