import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { AccessRequest } from '@dataflex/backstage-plugin-dataflex-common';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { describeRequestScope, formatDateTime } from './accessFormat';

/** A column of an access request table: its header and what a row shows. */
export interface AccessRequestColumn {
  id: string;
  title: ReactNode;
  render: (request: AccessRequest) => ReactNode;
  /** For a column of checkboxes. */
  padding?: 'checkbox';
  /** The column holds free text, which wraps. */
  wraps?: boolean;
}

export const datasetColumn: AccessRequestColumn = {
  id: 'dataset',
  title: 'Dataset',
  render: request => (
    <EntityRefLink entityRef={request.dataset} defaultKind="dataset" />
  ),
};

export const askedForColumn: AccessRequestColumn = {
  id: 'asked-for',
  title: 'Asked for',
  render: request => (
    <>
      {describeRequestScope(request)}
      {request.endsAt && (
        <Typography variant="caption" component="div">
          until {formatDateTime(request.endsAt)}
        </Typography>
      )}
    </>
  ),
};

export const requestedColumn: AccessRequestColumn = {
  id: 'requested',
  title: 'Requested',
  render: request => (
    <time dateTime={request.createdAt}>
      {formatDateTime(request.createdAt)}
    </time>
  ),
};

/** The last column: buttons, under a header only screen readers announce. */
export function actionsColumn(
  render: AccessRequestColumn['render'],
): AccessRequestColumn {
  return {
    id: 'actions',
    title: <Typography variant="srOnly">Actions</Typography>,
    render,
  };
}

/** Who decided the request and the reason they gave, one line each. */
export const RequestDecision = (props: {
  request: AccessRequest;
  variant: 'body2' | 'caption';
}) => {
  const { request, variant } = props;
  return (
    <>
      {request.decidedBy && (
        <Typography variant={variant} component="div">
          by <EntityRefLink entityRef={request.decidedBy} defaultKind="user" />
        </Typography>
      )}
      {request.decisionReason && (
        <Typography variant={variant} component="div">
          “{request.decisionReason}”
        </Typography>
      )}
    </>
  );
};
