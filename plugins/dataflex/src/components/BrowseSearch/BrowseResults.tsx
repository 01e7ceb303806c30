import { stringifyEntityRef } from '@backstage/catalog-model';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import Skeleton from '@material-ui/lab/Skeleton';
import { useCallback, useMemo } from 'react';
import { BrowseCard } from '../BrowseCard';
import {
  BrowseFilters,
  buildSearchRequest,
  writeBrowseFilters,
} from '../BrowseQuery/browseFilters';
import { useCatalogPages } from '../BrowseQuery/useCatalogPages';

const useStyles = makeStyles(theme => ({
  // Primary text: secondary falls short of 4.5:1 on the light page grey.
  status: {
    marginBottom: theme.spacing(1.5),
  },
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(min(240px, 100%), 1fr))',
    gap: theme.spacing(2),
    margin: 0,
    padding: 0,
    listStyle: 'none',
  },
  item: {
    minHeight: 190,
  },
  more: {
    display: 'flex',
    justifyContent: 'center',
    marginTop: theme.spacing(3),
  },
}));

function countLabel(count: number): string {
  return `${count.toLocaleString('en-US')} ${
    count === 1 ? 'result' : 'results'
  }`;
}

/**
 * Search results: the filters as one catalog query, shown a page at a time
 * with "Load more" following the catalog's cursor.
 */
export const BrowseResults = (props: { filters: BrowseFilters }) => {
  const classes = useStyles();
  const key = writeBrowseFilters(props.filters).toString();
  const request = useMemo(
    () => buildSearchRequest(props.filters),
    // The filters object is new on every URL change; its query string isn't.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );
  const load = useCallback(async () => request, [request]);
  const pages = useCatalogPages({ load, enabled: true });
  const firstLoad = pages.loading && pages.items.length === 0;

  let status = '';
  if (firstLoad) {
    status = 'Searching…';
  } else if (pages.totalItems !== undefined) {
    status = countLabel(pages.totalItems);
  }

  return (
    <section aria-label="Search results">
      <Typography role="status" className={classes.status}>
        {status}
      </Typography>
      {pages.error && (
        <Alert
          severity="error"
          action={
            <Button color="inherit" size="small" onClick={pages.retry}>
              Retry
            </Button>
          }
        >
          Search failed: {pages.error.message}
        </Alert>
      )}
      {!pages.loading && !pages.error && pages.items.length === 0 && (
        <Typography>
          No services or datasets match. Try other words or fewer filters.
        </Typography>
      )}
      <ul className={classes.grid} aria-busy={pages.loading}>
        {pages.items.map(entity => (
          <li key={stringifyEntityRef(entity)} className={classes.item}>
            <BrowseCard entity={entity} />
          </li>
        ))}
        {firstLoad &&
          [0, 1, 2, 3, 4, 5].map(i => (
            <li key={`loading-${i}`} className={classes.item} aria-hidden>
              <Skeleton variant="rect" height={190} />
            </li>
          ))}
      </ul>
      {pages.hasMore && (
        <div className={classes.more}>
          <Button
            variant="outlined"
            onClick={pages.loadMore}
            disabled={pages.loading}
          >
            {pages.loading ? 'Loading…' : 'Load more'}
          </Button>
        </div>
      )}
    </section>
  );
};
