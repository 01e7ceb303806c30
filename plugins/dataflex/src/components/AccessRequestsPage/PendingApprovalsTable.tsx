import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  ACCESS_REQUEST_LIMITS,
  AccessRequest,
  AccessRequestStatus,
} from '@dataflex/backstage-plugin-dataflex-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Chip from '@material-ui/core/Chip';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { accessRequestsApiRef } from '../../api';
import {
  AccessRequestTable,
  AccessStatus,
  actionsColumn,
  askedForColumn,
  datasetColumn,
  ListFooter,
  ReasonDialog,
  RequestDecision,
  requestedColumn,
  useAccessSignal,
  useCursorList,
} from '../AccessRequestsCommon';
import { backendMessage, errorStatus } from '../DatasetCard/backendMessage';

const PAGE_SIZE = 25;

type StatusFilter = AccessRequestStatus | 'all';

interface Outcome {
  severity: 'success' | 'warning' | 'error';
  lines: string[];
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function who(request: AccessRequest): string {
  return `${request.requester.replace(/^user:(default\/)?/, '')} on ${
    request.name
  }`;
}

/**
 * Requests the signed-in user may decide (as an owner of the dataset or an
 * admin), pending ones by default. Rows can be approved or rejected one by
 * one or selected and decided together; a rejection asks for a reason. When
 * someone else decided a request first, the API answers 409: the row is
 * reloaded to show that decision and the person is told.
 */
export const PendingApprovalsTable = (props: {
  /** Only requests for this dataset, `dataset:<namespace>/<name>`. */
  dataset?: string;
  onClearDataset?: () => void;
  /** Called after the user decided requests, e.g. to update a count. */
  onDecided?: () => void;
}) => {
  const { dataset, onClearDataset, onDecided } = props;
  const accessApi = useApi(accessRequestsApiRef);
  const [status, setStatus] = useState<StatusFilter>('pending');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [working, setWorking] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const [rejecting, setRejecting] = useState<AccessRequest[]>();
  const list = useCursorList(
    cursor =>
      accessApi.listAccessRequests({
        role: 'approver',
        status: status === 'all' ? undefined : status,
        dataset,
        limit: PAGE_SIZE,
        cursor,
      }),
    [accessApi, status, dataset],
  );
  const { isSignalsAvailable } = useAccessSignal(() => list.reload());

  const pending = list.items.filter(r => r.status === 'pending');
  const chosen = pending.filter(r => selected.has(r.id));
  const allChosen = pending.length > 0 && chosen.length === pending.length;

  const toggle = (id: string) =>
    setSelected(previous => {
      const next = new Set(previous);
      if (!next.delete(id)) {
        next.add(id);
      }
      return next;
    });

  const decide = async (
    requests: AccessRequest[],
    decision: 'approve' | 'reject',
    reason?: string,
  ) => {
    setWorking(true);
    setOutcome(undefined);
    let done = 0;
    const conflicts: string[] = [];
    const failures: string[] = [];
    for (const request of requests) {
      try {
        const updated = await accessApi.decideAccessRequest(request.id, {
          decision,
          ...(reason && { reason }),
        });
        list.replace(r => r.id === request.id, updated);
        done++;
      } catch (e) {
        const error = e as Error;
        if (errorStatus(error) === 409) {
          // Someone else decided it (or it was withdrawn) meanwhile: show
          // the row as it is now rather than as it was.
          try {
            const current = await accessApi.getAccessRequest(request.id);
            list.replace(r => r.id === request.id, current);
            conflicts.push(
              `The request from ${who(request)} was already ${current.status}${
                current.decidedBy
                  ? ` by ${current.decidedBy.replace(/^user:(default\/)?/, '')}`
                  : ''
              }; its row now shows that.`,
            );
          } catch {
            conflicts.push(
              `The request from ${who(
                request,
              )} was already decided: ${backendMessage(error)}`,
            );
          }
        } else {
          failures.push(`${who(request)}: ${backendMessage(error)}`);
        }
      }
    }
    setSelected(previous => {
      const next = new Set(previous);
      requests.forEach(r => next.delete(r.id));
      return next;
    });
    const lines = [
      ...(done > 0
        ? [
            `${decision === 'approve' ? 'Approved' : 'Rejected'} ${plural(
              done,
              'request',
            )}.`,
          ]
        : []),
      ...conflicts,
      ...failures,
    ];
    let severity: Outcome['severity'] = 'success';
    if (failures.length > 0) {
      severity = 'error';
    } else if (conflicts.length > 0) {
      severity = 'warning';
    }
    setOutcome({ severity, lines });
    setWorking(false);
    onDecided?.();
  };

  const filters = (
    <Box display="flex" alignItems="center" flexWrap="wrap" mb={1}>
      <TextField
        id="dataflex-approvals-status"
        select
        size="small"
        label="Status"
        variant="outlined"
        value={status}
        onChange={e => {
          setStatus(e.target.value as StatusFilter);
          setSelected(new Set());
        }}
      >
        <MenuItem value="pending">Pending</MenuItem>
        <MenuItem value="approved">Approved</MenuItem>
        <MenuItem value="rejected">Rejected</MenuItem>
        <MenuItem value="withdrawn">Withdrawn</MenuItem>
        <MenuItem value="all">All</MenuItem>
      </TextField>
      {dataset && (
        <Box ml={2}>
          <Chip
            label={`Dataset ${dataset.replace(/^dataset:/, '')}`}
            onDelete={onClearDataset}
          />
        </Box>
      )}
      <Box flexGrow={1} />
      {pending.length > 0 && (
        <>
          <Typography variant="body2" aria-live="polite">
            {chosen.length} selected
          </Typography>
          <Box ml={1}>
            <Button
              variant="contained"
              color="primary"
              disabled={chosen.length === 0 || working}
              onClick={() => decide(chosen, 'approve')}
            >
              Approve selected
            </Button>
          </Box>
          <Box ml={1}>
            <Button
              variant="outlined"
              disabled={chosen.length === 0 || working}
              onClick={() => setRejecting(chosen)}
            >
              Reject selected
            </Button>
          </Box>
        </>
      )}
    </Box>
  );

  let body;
  if (list.loading) {
    body = <Progress />;
  } else if (list.error && list.items.length === 0) {
    body = <ResponseErrorPanel error={list.error} />;
  } else if (list.items.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title={
          status === 'pending'
            ? 'Nothing waiting for your decision'
            : 'No requests'
        }
        description="Requests for access to datasets you own show up here."
      />
    );
  } else {
    body = (
      <AccessRequestTable
        label="Pending approvals"
        requests={list.items}
        rowTestId={request => `approval-${request.id}`}
        isSelected={request =>
          selected.has(request.id) && request.status === 'pending'
        }
        columns={[
          {
            id: 'select',
            padding: 'checkbox',
            title: (
              <Checkbox
                checked={allChosen}
                indeterminate={chosen.length > 0 && !allChosen}
                disabled={pending.length === 0 || working}
                onChange={() =>
                  setSelected(
                    allChosen ? new Set() : new Set(pending.map(r => r.id)),
                  )
                }
                inputProps={{ 'aria-label': 'Select all pending requests' }}
              />
            ),
            render: request =>
              request.status === 'pending' && (
                <Checkbox
                  checked={selected.has(request.id)}
                  disabled={working}
                  onChange={() => toggle(request.id)}
                  inputProps={{
                    'aria-label': `Select request from ${who(request)}`,
                  }}
                />
              ),
          },
          datasetColumn,
          {
            id: 'requester',
            title: 'Requester',
            render: request => (
              <EntityRefLink entityRef={request.requester} defaultKind="user" />
            ),
          },
          {
            id: 'justification',
            title: 'Justification',
            wraps: true,
            render: request => (
              <>
                <Typography variant="body2">{request.justification}</Typography>
                {Object.entries(request.fields).map(([name, value]) => (
                  <Typography
                    key={name}
                    variant="caption"
                    component="div"
                    color="textSecondary"
                  >
                    {name}: {value}
                  </Typography>
                ))}
              </>
            ),
          },
          askedForColumn,
          requestedColumn,
          {
            id: 'status',
            title: 'Status',
            render: request => (
              <>
                <AccessStatus status={request.status} />
                <RequestDecision request={request} variant="caption" />
              </>
            ),
          },
          actionsColumn(
            request =>
              request.status === 'pending' && (
                <Box display="flex">
                  <Button
                    size="small"
                    color="primary"
                    disabled={working}
                    onClick={() => decide([request], 'approve')}
                    aria-label={`Approve request from ${who(request)}`}
                  >
                    Approve
                  </Button>
                  <Button
                    size="small"
                    disabled={working}
                    onClick={() => setRejecting([request])}
                    aria-label={`Reject request from ${who(request)}`}
                  >
                    Reject
                  </Button>
                </Box>
              ),
          ),
        ]}
      />
    );
  }

  return (
    <>
      {filters}
      {outcome && (
        <Box mb={1}>
          <Alert
            severity={outcome.severity}
            onClose={() => setOutcome(undefined)}
          >
            {outcome.lines.map(line => (
              <div key={line}>{line}</div>
            ))}
          </Alert>
        </Box>
      )}
      {body}
      {!list.loading && (
        <ListFooter
          list={list}
          onRefresh={list.reload}
          live={isSignalsAvailable}
        />
      )}
      <ReasonDialog
        open={rejecting !== undefined}
        title={
          rejecting && rejecting.length > 1
            ? `Reject ${rejecting.length} requests`
            : 'Reject request'
        }
        description={
          rejecting &&
          (rejecting.length === 1
            ? `The requester (${who(
                rejecting[0],
              )}) sees your reason and may ask again after the cooldown.`
            : 'Every requester sees this reason and may ask again after the cooldown.')
        }
        confirmLabel="Reject"
        reason={{
          label: 'Reason',
          required: true,
          maxLength: ACCESS_REQUEST_LIMITS.reasonMaxLength,
        }}
        onClose={() => setRejecting(undefined)}
        onConfirm={async reason => {
          const requests = rejecting ?? [];
          setRejecting(undefined);
          await decide(requests, 'reject', reason);
        }}
      />
    </>
  );
};
