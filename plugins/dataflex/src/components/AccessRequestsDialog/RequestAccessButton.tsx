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
import { describeRequestScope, formatDateTime } from '../AccessRequestsCommon';
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

  if (pending) {
    return (
      <Box mr={1} role="status">
        <Typography variant="body2" component="span">
          Access requested ({describeRequestScope(pending)}) on{' '}
          {formatDateTime(pending.createdAt)}: waiting for the owners.{' '}
        </Typography>
        <Link to={inboxLink()}>My requests</Link>
      </Box>
    );
  }
  if (!summary.mayRequest) {
    return summary.retryAfter ? (
      <Box mr={1} role="status">
        <Typography variant="body2" component="span">
          Your last request was rejected; you may ask again after{' '}
          {formatDateTime(summary.retryAfter)}.{' '}
        </Typography>
        <Link to={inboxLink()}>My requests</Link>
      </Box>
    ) : null;
  }
  return (
    <Box mr={1}>
      <Button
        variant="contained"
        color="primary"
        startIcon={<LockOpenIcon />}
        onClick={() => setOpen(true)}
      >
        Request access
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
