import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  AuditEntry,
  DatasetRefParts,
} from '@dataflex/backstage-plugin-dataflex-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { accessRequestsApiRef } from '../../api';
import {
  describeGrantScope,
  formatDateTime,
  ListFooter,
  useAccessSignal,
  useCursorList,
  useTableStyles,
} from '../AccessRequestsCommon';
import { backendMessage } from '../DatasetCard/backendMessage';

const PAGE_SIZE = 50;

const ACTIONS: Record<AuditEntry['action'], string> = {
  requested: 'Requested access',
  approved: 'Approved',
  rejected: 'Rejected',
  withdrawn: 'Withdrew the request',
  granted: 'Granted access',
  revoked: 'Revoked access',
  expired: 'Access expired',
  downloaded: 'Downloaded',
};

function versions(entry: AuditEntry): string {
  if (entry.fromVersion !== undefined) {
    return describeGrantScope({
      fromVersion: entry.fromVersion,
      toVersion: entry.toVersion,
    });
  }
  return entry.version !== undefined ? `version ${entry.version}` : '';
}

/** Hands a fetched file to the browser as a download. */
function saveFile(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  URL.revokeObjectURL(url);
}

/**
 * A dataset's access log for its owners and admins, newest first: who
 * requested, who decided, who was granted or revoked, and who downloaded
 * which version. The CSV export is fetched with the user's token (a plain
 * link would carry none) and then saved.
 */
export const DatasetAuditTable = (props: { datasetRef: DatasetRefParts }) => {
  const { datasetRef } = props;
  const accessApi = useApi(accessRequestsApiRef);
  const classes = useTableStyles();
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<string>();
  const list = useCursorList(
    cursor =>
      accessApi.getDatasetAudit(datasetRef, { limit: PAGE_SIZE, cursor }),
    [accessApi, datasetRef.namespace, datasetRef.name],
  );
  const datasetEntityRef = `dataset:${datasetRef.namespace}/${datasetRef.name}`;
  const { isSignalsAvailable } = useAccessSignal(signal => {
    if (signal.dataset === datasetEntityRef) {
      list.reload();
    }
  });

  const downloadCsv = async () => {
    setDownloading(true);
    setDownloadError(undefined);
    try {
      const csv = await accessApi.getDatasetAuditCsv(datasetRef);
      saveFile(
        csv,
        `${datasetRef.namespace}-${datasetRef.name}-access-log.csv`,
      );
    } catch (e) {
      setDownloadError(backendMessage(e as Error));
    } finally {
      setDownloading(false);
    }
  };

  let body;
  if (list.loading) {
    body = <Progress />;
  } else if (list.error && list.items.length === 0) {
    body = <ResponseErrorPanel error={list.error} />;
  } else if (list.items.length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        Nobody has requested or downloaded this dataset yet.
      </Typography>
    );
  } else {
    body = (
      <Box overflow="auto">
        <Table size="small" aria-label="Access log" className={classes.table}>
          <TableHead>
            <TableRow>
              <TableCell>When</TableCell>
              <TableCell>Who</TableCell>
              <TableCell>What</TableCell>
              <TableCell>For</TableCell>
              <TableCell>Versions</TableCell>
              <TableCell>Reason</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {list.items.map(entry => (
              <TableRow key={entry.id} data-testid={`audit-${entry.id}`}>
                <TableCell>
                  <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                </TableCell>
                <TableCell>
                  {entry.actor.startsWith('plugin:') ? (
                    'DataFlex'
                  ) : (
                    <EntityRefLink entityRef={entry.actor} defaultKind="user" />
                  )}
                </TableCell>
                <TableCell>{ACTIONS[entry.action] ?? entry.action}</TableCell>
                <TableCell>
                  {entry.subject && entry.subject !== entry.actor && (
                    <EntityRefLink
                      entityRef={entry.subject}
                      defaultKind="user"
                    />
                  )}
                </TableCell>
                <TableCell>{versions(entry)}</TableCell>
                <TableCell className={classes.text}>
                  {entry.reason ?? ''}
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
        <Box flexGrow={1} />
        <Button
          variant="outlined"
          startIcon={<GetAppIcon />}
          onClick={downloadCsv}
          disabled={downloading}
        >
          {downloading ? 'Downloading…' : 'Download CSV'}
        </Button>
      </Box>
      {downloadError && (
        <Box mb={1}>
          <Alert severity="error" role="alert">
            Could not download the log: {downloadError}
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
    </>
  );
};
