import { stringifyEntityRef } from '@backstage/catalog-model';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ChevronLeftIcon from '@material-ui/icons/ChevronLeft';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import Alert from '@material-ui/lab/Alert';
import Skeleton from '@material-ui/lab/Skeleton';
import { KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import { BrowseCard } from '../BrowseCard';
import { EntitySource, useCatalogPages } from '../BrowseQuery/useCatalogPages';
import { useInView } from './useInView';

/** A row starts loading this far before it scrolls into view. */
const LAZY_MARGIN = '200px 0px';
/** The next page loads when the end of the row is this close. */
const MORE_MARGIN = '0px 600px 0px 0px';

const useStyles = makeStyles(theme => ({
  root: {
    marginBottom: theme.spacing(3),
    // Keeps the page from jumping as rows load.
    minHeight: 260,
  },
  // An empty row only needs room for its message.
  empty: {
    minHeight: 0,
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
  },
  title: {
    margin: 0,
    fontSize: theme.typography.h5.fontSize,
    fontWeight: theme.typography.fontWeightBold as number,
  },
  scroller: {
    overflowX: 'auto',
    overscrollBehaviorX: 'contain',
    scrollSnapType: 'x proximity',
    // The list's padding leaves room for the focus ring inside the scroll
    // box; the negative margin keeps the cards in line with the hero. Snap
    // positions allow for the same padding, so a row starts unscrolled.
    margin: theme.spacing(0, -1),
    // JSS adds no unit to this property by itself.
    scrollPaddingInline: `${theme.spacing(1)}px`,
    '@media (prefers-reduced-motion: no-preference)': {
      scrollBehavior: 'smooth',
    },
  },
  list: {
    display: 'flex',
    gap: theme.spacing(2),
    margin: 0,
    // Room for the cards' hover lift and focus ring inside the scroll box.
    padding: theme.spacing(1, 1, 2),
    listStyle: 'none',
  },
  item: {
    flex: '0 0 auto',
    width: 'min(264px, 78vw)',
    minHeight: 190,
    scrollSnapAlign: 'start',
  },
  more: {
    flex: '0 0 auto',
    display: 'flex',
    alignItems: 'center',
  },
  // On paper, like the cards, so secondary text keeps a 4.5:1 contrast
  // (on the light theme's page grey it would not).
  message: {
    color: theme.palette.text.secondary,
    backgroundColor: theme.palette.background.paper,
    border: `1px dashed ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(2),
    margin: theme.spacing(1, 0, 0),
  },
  visuallyHidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  },
}));

/** Props of {@link BrowseRow}. */
export interface BrowseRowProps {
  /** The heading, also the row's accessible name. */
  title: string;
  /**
   * Builds the row's first request, or its fetcher of pages, when it
   * scrolls into view; undefined when the row has nothing to ask for.
   * Memoize it.
   */
  load: () => Promise<EntitySource | undefined>;
  /** Shown when the row comes back empty. */
  emptyMessage: string;
}

/**
 * A horizontal row of cards that loads when it scrolls into view and pages
 * on with the catalog's cursor when scrolled to its end. Scrolls by mouse,
 * trackpad, touch, its buttons and the arrow keys (one card of the row is
 * in the tab order; the arrows, Home and End move between them).
 */
export const BrowseRow = (props: BrowseRowProps) => {
  const { title, load, emptyMessage } = props;
  const classes = useStyles();
  const rootRef = useRef<HTMLElement>(null);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const endRef = useRef<HTMLLIElement>(null);
  const links = useRef<Array<HTMLAnchorElement | null>>([]);
  const inView = useInView(rootRef, LAZY_MARGIN);
  const pages = useCatalogPages({ load, enabled: inView });
  const { items, hasMore, loadMore } = pages;
  const [active, setActive] = useState(0);
  const [edges, setEdges] = useState({ start: true, end: true });

  const updateEdges = useCallback(() => {
    const scroller = scrollerRef.current;
    if (scroller) {
      const { scrollLeft, scrollWidth, clientWidth } = scroller;
      setEdges({
        start: scrollLeft <= 0,
        end: scrollLeft + clientWidth >= scrollWidth - 1,
      });
    }
  }, []);
  useEffect(updateEdges, [updateEdges, items.length]);

  // A fresh observer per page: its first report says whether the end is
  // still in view after the new cards were laid out.
  useEffect(() => {
    const end = endRef.current;
    if (!hasMore || !end || typeof IntersectionObserver === 'undefined') {
      return undefined;
    }
    const observer = new IntersectionObserver(
      entries => {
        if (entries.some(entry => entry.isIntersecting)) {
          loadMore();
        }
      },
      { root: scrollerRef.current, rootMargin: MORE_MARGIN },
    );
    observer.observe(end);
    return () => observer.disconnect();
  }, [hasMore, loadMore, items.length]);

  const scrollBy = (direction: 1 | -1) => {
    const scroller = scrollerRef.current;
    scroller?.scrollBy?.({
      left: direction * scroller.clientWidth * 0.8,
      behavior: 'smooth',
    });
  };

  const focusCard = (index: number) => {
    const target = Math.max(0, Math.min(index, items.length - 1));
    links.current[target]?.focus();
    setActive(target);
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const current = links.current.indexOf(event.target as HTMLAnchorElement);
    if (current < 0) {
      return;
    }
    const moves: Record<string, number> = {
      ArrowRight: current + 1,
      ArrowLeft: current - 1,
      Home: 0,
      End: items.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      focusCard(moves[event.key]);
    }
  };

  const firstLoad = !pages.started || (pages.loading && items.length === 0);
  const empty =
    pages.started && !pages.loading && !pages.error && items.length === 0;

  return (
    <section
      ref={rootRef}
      className={empty ? `${classes.root} ${classes.empty}` : classes.root}
      aria-label={title}
    >
      <div className={classes.header}>
        <Typography variant="h5" component="h2" className={classes.title}>
          {title}
        </Typography>
        {items.length > 0 && (
          <div>
            <IconButton
              size="small"
              aria-label={`Scroll ${title} left`}
              disabled={edges.start}
              onClick={() => scrollBy(-1)}
            >
              <ChevronLeftIcon />
            </IconButton>
            <IconButton
              size="small"
              aria-label={`Scroll ${title} right`}
              disabled={edges.end && !hasMore}
              onClick={() => scrollBy(1)}
            >
              <ChevronRightIcon />
            </IconButton>
          </div>
        )}
      </div>
      <div
        ref={scrollerRef}
        className={classes.scroller}
        onScroll={updateEdges}
      >
        {/* Arrow keys from the cards' links bubble up to move focus. It is */}
        {/* busy until the first page is in, so the placeholder of a row */}
        {/* still out of view is not taken for an empty row. */}
        {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions */}
        <ul
          className={classes.list}
          aria-busy={firstLoad || pages.loading}
          onKeyDown={handleKeyDown}
        >
          {items.map((entity, index) => (
            <li key={stringifyEntityRef(entity)} className={classes.item}>
              <BrowseCard
                entity={entity}
                tabIndex={index === Math.min(active, items.length - 1) ? 0 : -1}
                linkRef={element => {
                  links.current[index] = element;
                }}
                onFocus={() => setActive(index)}
              />
            </li>
          ))}
          {pages.loading &&
            [0, 1, 2, 3].map(i => (
              <li key={`loading-${i}`} className={classes.item} aria-hidden>
                <Skeleton variant="rect" height={190} />
              </li>
            ))}
          {firstLoad && !pages.loading && (
            <li className={classes.item} aria-hidden>
              <Skeleton variant="rect" height={190} animation={false} />
            </li>
          )}
          {hasMore && !pages.loading && !pages.error && (
            <li ref={endRef} className={classes.more}>
              <Button onClick={loadMore} aria-label={`More ${title}`}>
                More
              </Button>
            </li>
          )}
        </ul>
      </div>
      <span role="status" className={classes.visuallyHidden}>
        {pages.loading ? `Loading ${title}` : ''}
      </span>
      {pages.error && (
        <Alert
          severity="error"
          action={
            <Button color="inherit" size="small" onClick={pages.retry}>
              Retry
            </Button>
          }
        >
          Could not load {title}: {pages.error.message}
        </Alert>
      )}
      {empty && (
        <Typography className={classes.message}>{emptyMessage}</Typography>
      )}
    </section>
  );
};
