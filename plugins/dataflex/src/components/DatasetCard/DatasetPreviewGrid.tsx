import { DatasetPreview } from '@dataflex/backstage-plugin-dataflex-common';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

// Wide tables scroll sideways rather than break values and names mid-word.
const useStyles = makeStyles({
  table: { '& th, & td': { whiteSpace: 'nowrap' } },
});

/** Cells as text: objects (JSON columns) as JSON, absent values empty. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'object') {
    return JSON.stringify(value);
  }
  return String(value);
}

/** The first rows of a version, masked columns marked in the header. */
export const DatasetPreviewGrid = ({
  preview,
}: {
  preview: DatasetPreview;
}) => {
  const classes = useStyles();
  return (
    <>
      <Box overflow="auto" maxHeight={400}>
        <Table
          className={classes.table}
          size="small"
          stickyHeader
          aria-label="Preview"
        >
          <TableHead>
            <TableRow>
              {preview.columns.map(column => (
                <TableCell
                  key={column.name}
                  title={column.masked ? `${column.type}, masked` : column.type}
                >
                  {column.name}
                  {column.masked ? ' (masked)' : ''}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {preview.rows.map((row, index) => (
              <TableRow key={index}>
                {row.map((value, column) => (
                  <TableCell key={column}>{cellText(value)}</TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
      <Typography variant="caption" color="textSecondary">
        Version {preview.version}, {preview.rows.length} rows shown
        {preview.truncated ? '; more rows are not shown' : ''}.
      </Typography>
    </>
  );
};
