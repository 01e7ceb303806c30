import { Entity } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import {
  EntityRefLink,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import Paper from '@material-ui/core/Paper';
import Popper from '@material-ui/core/Popper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  FocusEvent,
  KeyboardEvent,
  Ref,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { BrowseBadges } from './BrowseBadges';
import { BrowseCardPreview } from './BrowseCardPreview';
import { toBrowseEntity, kindLabel } from './browseEntity';
import { BrowseKindIcon } from './BrowseKindIcon';

/** Hovering this long opens the preview; passing over a card doesn't. */
const HOVER_OPEN_MS = 400;
/** Leaving for this long closes it; crossing to the preview doesn't. */
const HOVER_CLOSE_MS = 150;
/** Tags shown on a card; the rest are counted. */
const CARD_TAGS = 3;

const useStyles = makeStyles(theme => ({
  root: {
    position: 'relative',
    height: '100%',
  },
  card: {
    position: 'relative',
    height: '100%',
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    padding: theme.spacing(1.5, 2),
    transition: theme.transitions.create(['box-shadow', 'transform'], {
      duration: theme.transitions.duration.shorter,
    }),
    '&:hover, &:focus-within': {
      boxShadow: theme.shadows[6],
    },
    '@media (prefers-reduced-motion: no-preference)': {
      '&:hover, &:focus-within': {
        transform: 'translateY(-2px)',
      },
    },
  },
  kind: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
    color: theme.palette.text.secondary,
  },
  title: {
    margin: 0,
    fontSize: theme.typography.h6.fontSize,
    fontWeight: theme.typography.fontWeightMedium as number,
    lineHeight: 1.3,
    overflowWrap: 'anywhere',
  },
  // The title link covers the whole card, so a click anywhere opens it,
  // while the owner link stays clickable above it.
  link: {
    color: theme.palette.text.primary,
    '&::after': {
      content: '""',
      position: 'absolute',
      inset: 0,
      borderRadius: theme.shape.borderRadius,
    },
    '&:focus': {
      outline: 'none',
    },
    '&:focus-visible::after': {
      outline: `3px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
  description: {
    color: theme.palette.text.secondary,
    display: '-webkit-box',
    WebkitLineClamp: 2,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
  },
  owner: {
    position: 'relative',
    zIndex: 1,
    alignSelf: 'flex-start',
  },
  tags: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    color: theme.palette.text.secondary,
    marginTop: 'auto',
  },
  popper: {
    zIndex: theme.zIndex.tooltip,
    width: 340,
    maxWidth: 'calc(100vw - 16px)',
  },
  preview: {
    maxHeight: '70vh',
    overflowY: 'auto',
  },
}));

/** Props of {@link BrowseCard}. */
export interface BrowseCardProps {
  /** The entity, projected to the browse page's card fields. */
  entity: Entity;
  /**
   * Rows keep a single card in the tab order and move focus with the arrow
   * keys; -1 takes the card out of it.
   */
  tabIndex?: number;
  /** The card's link, which rows focus. */
  linkRef?: Ref<HTMLAnchorElement>;
  /** Called when the card's link gets focus. */
  onFocus?: () => void;
}

/**
 * A service or dataset card: a link to its entity page that opens a preview
 * (description, schema or purpose, owner, actions) on hover or focus.
 */
export const BrowseCard = (props: BrowseCardProps) => {
  const { tabIndex, linkRef, onFocus } = props;
  const classes = useStyles();
  const entity = useMemo(() => toBrowseEntity(props.entity), [props.entity]);
  const entityPath = useEntityRefLink()(entity.ref);
  const rootRef = useRef<HTMLDivElement>(null);
  const cardRef = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  const schedule = (next: boolean, ms: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setOpen(next), ms);
  };
  useEffect(() => () => clearTimeout(timer.current), []);

  const focusInside = () =>
    rootRef.current?.contains(rootRef.current.ownerDocument.activeElement) ??
    false;

  // Escape keeps the preview shut while focus stays on the card.
  const dismissed = useRef(false);

  const handleBlur = (event: FocusEvent) => {
    if (!rootRef.current?.contains(event.relatedTarget as Node | null)) {
      dismissed.current = false;
      clearTimeout(timer.current);
      setOpen(false);
    }
  };

  const handleKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && open) {
      event.stopPropagation();
      dismissed.current = true;
      clearTimeout(timer.current);
      setOpen(false);
      rootRef.current?.querySelector<HTMLElement>('a')?.focus();
    }
  };

  return (
    // Hover, focus and Escape are caught here for the card's link and its
    // preview together; the link is what users interact with.
    // eslint-disable-next-line jsx-a11y/no-static-element-interactions
    <div
      ref={rootRef}
      className={classes.root}
      onMouseEnter={() => schedule(true, HOVER_OPEN_MS)}
      onMouseLeave={() => {
        dismissed.current = false;
        if (!focusInside()) {
          schedule(false, HOVER_CLOSE_MS);
        }
      }}
      onFocus={() => {
        if (!dismissed.current) {
          clearTimeout(timer.current);
          setOpen(true);
        }
      }}
      onBlur={handleBlur}
      onKeyDown={handleKeyDown}
    >
      <Paper ref={cardRef} className={classes.card} variant="outlined">
        <Typography variant="caption" component="div" className={classes.kind}>
          <BrowseKindIcon entity={entity} />
          {kindLabel(entity)}
        </Typography>
        <h3 className={classes.title}>
          <Link
            to={entityPath}
            ref={linkRef}
            className={classes.link}
            underline="none"
            tabIndex={tabIndex}
            onFocus={onFocus}
          >
            {entity.title}
          </Link>
        </h3>
        {entity.description && (
          <Typography variant="body2" className={classes.description}>
            {entity.description}
          </Typography>
        )}
        {entity.owner && (
          <Typography variant="body2" className={classes.owner}>
            <EntityRefLink
              entityRef={entity.owner}
              defaultKind="group"
              // The preview offers the owner to keyboard users.
              tabIndex={-1}
              disableTooltip
            />
          </Typography>
        )}
        <BrowseBadges entity={entity} />
        {entity.tags.length > 0 && (
          <Typography
            variant="caption"
            component="div"
            className={classes.tags}
          >
            {entity.tags.slice(0, CARD_TAGS).map(tag => (
              <span key={tag}>#{tag}</span>
            ))}
            {entity.tags.length > CARD_TAGS && (
              <span>+{entity.tags.length - CARD_TAGS}</span>
            )}
          </Typography>
        )}
      </Paper>
      <Popper
        open={open}
        anchorEl={cardRef.current}
        // Beside the card, so it hides neither the card nor the row's title.
        placement="right-start"
        // In the DOM right after the card, so Tab moves from the card into
        // its actions; fixed, so the row's scroll box doesn't clip it.
        disablePortal
        popperOptions={{ positionFixed: true }}
        modifiers={{
          flip: { enabled: true, behavior: ['right', 'left', 'bottom'] },
          preventOverflow: { enabled: true, boundariesElement: 'viewport' },
        }}
        className={classes.popper}
      >
        <Paper
          elevation={8}
          className={classes.preview}
          role="group"
          aria-label={`${entity.title} preview`}
        >
          <BrowseCardPreview entity={entity} entityPath={entityPath} />
        </Paper>
      </Popper>
    </div>
  );
};
