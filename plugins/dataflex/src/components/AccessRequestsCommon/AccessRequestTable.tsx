import { AccessRequest } from '@dataflex/backstage-plugin-dataflex-common';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { AccessRequestColumn } from './accessRequestColumns';
import { useTableStyles } from './useTableStyles';

/**
 * Access requests as a table of `columns`, one row a request, scrolling
 * sideways when it does not fit.
 */
export const AccessRequestTable = (props: {
  /** The table's accessible name. */
  label: string;
  columns: AccessRequestColumn[];
  requests: AccessRequest[];
  rowTestId: (request: AccessRequest) => string;
  isSelected?: (request: AccessRequest) => boolean;
}) => {
  const { label, columns, requests, rowTestId, isSelected } = props;
  const classes = useTableStyles();
  return (
    <Box overflow="auto">
      <Table size="small" aria-label={label} className={classes.table}>
        <TableHead>
          <TableRow>
            {columns.map(column => (
              <TableCell key={column.id} padding={column.padding}>
                {column.title}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {requests.map(request => (
            <TableRow
              key={request.id}
              data-testid={rowTestId(request)}
              selected={isSelected?.(request)}
            >
              {columns.map(column => (
                <TableCell
                  key={column.id}
                  padding={column.padding}
                  className={column.wraps ? classes.text : undefined}
                >
                  {column.render(request)}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
};
