import { CopyTextButton } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  DatasetVersion,
  SchemaDiff,
} from '@dataflex/backstage-plugin-dataflex-common';
import Box from '@material-ui/core/Box';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatBytes } from './formatBytes';

/** `+email, −phone, age: string→integer`, or nothing for an unchanged schema. */
export function schemaDiffSummary(diff: SchemaDiff | undefined): string {
  if (!diff) {
    return '';
  }
  return [
    ...diff.added.map(c => `+${c.name}`),
    ...diff.removed.map(c => `−${c.name}`),
    ...diff.retyped.map(c => `${c.name}: ${c.from}→${c.to}`),
  ].join(', ');
}

const useStyles = makeStyles({
  table: { '& th': { whiteSpace: 'nowrap' } },
  nowrap: { whiteSpace: 'nowrap' },
});

/**
 * A dataset's versions, newest first, with a download link for each one the
 * caller may read (`contentUrl` answers undefined for the others).
 */
export const DatasetVersionsTable = (props: {
  versions: DatasetVersion[];
  contentUrl?: (version: number) => string | undefined;
}) => {
  const { versions, contentUrl } = props;
  const classes = useStyles();
  if (versions.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No versions uploaded yet.
      </Typography>
    );
  }
  return (
    <Box overflow="auto">
      <Table className={classes.table} size="small" aria-label="Versions">
        <TableHead>
          <TableRow>
            <TableCell>Version</TableCell>
            <TableCell>Size</TableCell>
            <TableCell>Rows</TableCell>
            <TableCell>SHA-256</TableCell>
            <TableCell>Uploaded</TableCell>
            <TableCell>Change note</TableCell>
            <TableCell>Schema changes</TableCell>
            {contentUrl && <TableCell>Download</TableCell>}
          </TableRow>
        </TableHead>
        <TableBody>
          {versions.map(v => (
            <TableRow key={v.version} data-testid={`version-row-${v.version}`}>
              <TableCell>{v.version}</TableCell>
              <TableCell className={classes.nowrap}>
                {formatBytes(v.size)}
              </TableCell>
              <TableCell>{v.rowCount ?? '—'}</TableCell>
              <TableCell className={classes.nowrap}>
                <code title={v.sha256}>{v.sha256.slice(0, 12)}</code>
                <CopyTextButton
                  text={v.sha256}
                  tooltipText="SHA-256 copied"
                  aria-label={`Copy SHA-256 of version ${v.version}`}
                />
              </TableCell>
              <TableCell>
                <EntityRefLink entityRef={v.uploadedBy} defaultKind="user" />
                <br />
                <Typography variant="caption" color="textSecondary">
                  <time dateTime={v.createdAt}>
                    {new Date(v.createdAt).toLocaleString()}
                  </time>
                </Typography>
              </TableCell>
              <TableCell>{v.changeNote ?? ''}</TableCell>
              <TableCell>{schemaDiffSummary(v.schemaDiff)}</TableCell>
              {contentUrl && (
                <TableCell>
                  {contentUrl(v.version) ? (
                    <Link href={contentUrl(v.version)} download={v.filename}>
                      {v.filename}
                    </Link>
                  ) : (
                    <Typography variant="body2" color="textSecondary">
                      No access
                    </Typography>
                  )}
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
};
