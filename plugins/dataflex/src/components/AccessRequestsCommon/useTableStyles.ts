import { makeStyles } from '@material-ui/core/styles';

/**
 * Tables of requests, grants and log entries keep names, dates and buttons on
 * one line (the table scrolls sideways instead); only free text wraps.
 */
export const useTableStyles = makeStyles({
  table: { '& th, & td': { whiteSpace: 'nowrap' } },
  text: {
    '&&': { whiteSpace: 'normal' },
    minWidth: 220,
    maxWidth: 480,
  },
});
