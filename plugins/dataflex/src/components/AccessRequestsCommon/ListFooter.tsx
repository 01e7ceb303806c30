import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import Alert from '@material-ui/lab/Alert';
import { CursorList } from './useCursorList';
import { backendMessage } from '../DatasetCard/backendMessage';

/**
 * Under a list: the next page, a manual refresh, and whether the list
 * updates by itself (signals) or only when refreshed.
 */
export const ListFooter = (props: {
  list: CursorList<unknown>;
  onRefresh: () => void;
  live: boolean;
}) => {
  const { list, onRefresh, live } = props;
  return (
    <>
      {list.error && list.items.length > 0 && (
        <Box mt={1}>
          <Alert severity="error">
            Could not load the list: {backendMessage(list.error)}
          </Alert>
        </Box>
      )}
      <Box display="flex" alignItems="center" mt={1} flexWrap="wrap">
        {list.hasMore && (
          <Button onClick={list.loadMore} disabled={list.busy}>
            Load more
          </Button>
        )}
        <Button
          startIcon={<RefreshIcon />}
          onClick={onRefresh}
          disabled={list.busy}
        >
          Refresh
        </Button>
        {list.busy && (
          <CircularProgress size={16} aria-label="Loading" role="progressbar" />
        )}
        <Box flexGrow={1} />
        <Typography variant="caption" color="textSecondary">
          {live
            ? 'Updates as requests change'
            : 'Live updates are off; use Refresh'}
        </Typography>
      </Box>
    </>
  );
};
