import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import {
  AccessGrantStatus,
  AccessRequestStatus,
} from '@dataflex/backstage-plugin-dataflex-common';

const LABELS: Record<AccessRequestStatus | AccessGrantStatus, string> = {
  pending: 'Pending',
  approved: 'Approved',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  active: 'Active',
  revoked: 'Revoked',
  expired: 'Expired',
};

/** A request's or grant's status, as an icon and a word (never colour alone). */
export const AccessStatus = (props: {
  status: AccessRequestStatus | AccessGrantStatus;
}) => {
  const label = LABELS[props.status];
  switch (props.status) {
    case 'approved':
    case 'active':
      return <StatusOK>{label}</StatusOK>;
    case 'rejected':
    case 'revoked':
      return <StatusError>{label}</StatusError>;
    case 'pending':
      return <StatusPending>{label}</StatusPending>;
    default:
      return <StatusAborted>{label}</StatusAborted>;
  }
};
