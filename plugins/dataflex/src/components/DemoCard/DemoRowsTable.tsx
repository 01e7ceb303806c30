import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { cellText } from '../DatasetCard/DatasetPreviewGrid';

// Wide tables scroll sideways rather than break values and names mid-word.
const useStyles = makeStyles({
  table: { '& th, & td': { whiteSpace: 'nowrap' } },
});

/** Rows of a demo's input or output, as the backend returned them. */
export const DemoRowsTable = (props: {
  label: string;
  columns: string[];
  rows: Array<Record<string, unknown>>;
}) => {
  const { label, columns, rows } = props;
  const classes = useStyles();
  if (rows.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No rows.
      </Typography>
    );
  }
  return (
    <Box overflow="auto" maxHeight={320}>
      <Table
        className={classes.table}
        size="small"
        stickyHeader
        aria-label={label}
      >
        <TableHead>
          <TableRow>
            {columns.map(column => (
              <TableCell key={column}>{column}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row, index) => (
            <TableRow key={index}>
              {columns.map(column => (
                <TableCell key={column}>{cellText(row[column])}</TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
};
