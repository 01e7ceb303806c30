import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  AccessRequest,
  DatasetAccessSummary,
  DatasetRefParts,
} from '@dataflex/backstage-plugin-dataflex-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import LockOpenIcon from '@material-ui/icons/LockOpen';
import { useState } from 'react';
import { accessRouteRef } from '../../routes';
import {
  describeGrantScope,
  describeRequestScope,
  formatDateTime,
} from '../AccessRequestsCommon';
import { AccessRequestDialog } from './AccessRequestDialog';

/**
 * Where a person stands in asking for a dataset's content: a "Request
 * access" button when they may ask, their pending request while the owners
 * decide, or when they may ask again after a rejection. Nothing otherwise
 * (owners, open datasets, or access already held in full).
 */
export const RequestAccessButton = (props: {
  datasetRef: DatasetRefParts;
  summary: DatasetAccessSummary;
  /** The dataset's versions, newest first. */
  versions: number[];
  onRequested: (request: AccessRequest) => void;
}) => {
  const { datasetRef, summary, versions, onRequested } = props;
  const inboxLink = useRouteRef(accessRouteRef);
  const [open, setOpen] = useState(false);
  const pending = summary.pendingRequest;
  // Owners and admins read everything; a reader's grants say what they hold.
  const held =
    !summary.mayManage && summary.grants.length > 0 ? (
      <Typography variant="body2" component="span">
        You may read{' '}
        {summary.grants
          .map(
            grant =>
              `${describeGrantScope(grant)}${
                grant.endsAt ? ` until ${formatDateTime(grant.endsAt)}` : ''
              }`,
          )
          .join('; ')}
        .{' '}
      </Typography>
    ) : undefined;

  if (pending) {
    return (
      <Box mr={1} role="status">
        {held}
        <Typography variant="body2" component="span">
          Access requested ({describeRequestScope(pending)}) on{' '}
          {formatDateTime(pending.createdAt)}: waiting for the owners.{' '}
        </Typography>
        <Link to={inboxLink()}>My requests</Link>
      </Box>
    );
  }
  if (!summary.mayRequest) {
    if (!summary.retryAfter) {
      return held ? (
        <Box mr={1} role="status">
          {held}
        </Box>
      ) : null;
    }
    return (
      <Box mr={1} role="status">
        {held}
        <Typography variant="body2" component="span">
          Your last request was rejected; you may ask again after{' '}
          {formatDateTime(summary.retryAfter)}.{' '}
        </Typography>
        <Link to={inboxLink()}>My requests</Link>
      </Box>
    );
  }
  return (
    <Box mr={1} display="flex" alignItems="center">
      {held && <Box mr={1}>{held}</Box>}
      <Button
        variant="contained"
        color="primary"
        startIcon={<LockOpenIcon />}
        onClick={() => setOpen(true)}
      >
        {held ? 'Request more access' : 'Request access'}
      </Button>
      <AccessRequestDialog
        open={open}
        datasetRef={datasetRef}
        versions={versions}
        requestFields={summary.requestFields}
        onClose={() => setOpen(false)}
        onRequested={request => {
          setOpen(false);
          onRequested(request);
        }}
      />
    </Box>
  );
};
