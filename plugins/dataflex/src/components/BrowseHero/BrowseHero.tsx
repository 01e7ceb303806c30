import type { CatalogApi } from '@backstage/catalog-client';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { LinkButton } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  EntityRefLink,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import Skeleton from '@material-ui/lab/Skeleton';
import useAsync from 'react-use/esm/useAsync';
import { BrowseBadges, kindLabel, toBrowseEntity } from '../BrowseCard';
import {
  CARD_FIELDS,
  pageRequest,
  PUBLIC_DEMOS,
} from '../BrowseQuery/browseQueries';

const useStyles = makeStyles(theme => ({
  hero: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1.5),
    padding: theme.spacing(4),
    marginBottom: theme.spacing(3),
    borderRadius: theme.shape.borderRadius * 2,
    backgroundImage: theme.getPageTheme({ themeId: 'home' }).backgroundImage,
    backgroundSize: 'cover',
    color: theme.getPageTheme({ themeId: 'home' }).fontColor,
    [theme.breakpoints.down('xs')]: {
      padding: theme.spacing(2.5),
    },
  },
  overline: {
    opacity: 0.9,
    letterSpacing: '0.12em',
  },
  title: {
    margin: 0,
    fontSize: theme.typography.h3.fontSize,
    fontWeight: theme.typography.fontWeightBold as number,
    lineHeight: 1.15,
    overflowWrap: 'anywhere',
    [theme.breakpoints.down('xs')]: {
      fontSize: theme.typography.h4.fontSize,
    },
  },
  text: {
    maxWidth: '65ch',
  },
  owner: {
    color: 'inherit',
    textDecoration: 'underline',
  },
  badges: {
    // Chips keep their own colours on the banner.
    '& .MuiChip-root': {
      backgroundColor: theme.palette.background.paper,
      color: theme.palette.text.primary,
    },
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1.5),
    marginTop: theme.spacing(1),
  },
  primary: {
    backgroundColor: theme.palette.background.paper,
    color: theme.palette.text.primary,
    '&:hover': {
      backgroundColor: theme.palette.background.default,
    },
  },
  secondary: {
    color: 'inherit',
    borderColor: 'currentColor',
  },
  skeleton: {
    marginBottom: theme.spacing(3),
    borderRadius: theme.shape.borderRadius * 2,
  },
}));

interface Featured {
  entity?: Entity;
  /** Configured refs that are no entity refs. */
  invalid: string[];
}

/**
 * The featured entity: the first configured one the user can see (the
 * catalog leaves out what they may not), else the first public service with
 * a demo.
 */
async function pickFeatured(
  catalogApi: CatalogApi,
  featured: string[],
): Promise<Featured> {
  const refs: string[] = [];
  const invalid: string[] = [];
  for (const ref of featured) {
    try {
      refs.push(
        stringifyEntityRef(
          parseEntityRef(ref, {
            defaultKind: 'component',
            defaultNamespace: 'default',
          }),
        ).toLocaleLowerCase('en-US'),
      );
    } catch {
      invalid.push(ref);
    }
  }
  if (refs.length > 0) {
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs: refs,
      fields: CARD_FIELDS,
    });
    const entity = items.find(item => item !== undefined);
    if (entity) {
      return { entity, invalid };
    }
  }
  const { items } = await catalogApi.queryEntities(
    pageRequest(PUBLIC_DEMOS, { limit: 1 }),
  );
  return { entity: items[0], invalid };
}

/** The featured service or dataset at the top of the browse page. */
export const BrowseHero = (props: { featured: string[] }) => {
  const classes = useStyles();
  const catalogApi = useApi(catalogApiRef);
  const entityLink = useEntityRefLink();
  const featuredKey = props.featured.join('\n');
  const { value, loading, error } = useAsync(
    () => pickFeatured(catalogApi, featuredKey ? featuredKey.split('\n') : []),
    [catalogApi, featuredKey],
  );

  if (loading) {
    return (
      <Skeleton
        variant="rect"
        height={240}
        className={classes.skeleton}
        aria-hidden
      />
    );
  }
  if (error) {
    return (
      <Alert severity="error" className={classes.skeleton}>
        Could not load the featured service: {error.message}
      </Alert>
    );
  }
  const warning = value?.invalid.length ? (
    <Alert severity="warning" className={classes.skeleton}>
      dataflex.browse.featured: not entity refs, left out:{' '}
      {value.invalid.join(', ')}
    </Alert>
  ) : undefined;
  if (!value?.entity) {
    return warning ?? null;
  }

  const entity = toBrowseEntity(value.entity);
  const path = entityLink(entity.ref);
  return (
    <>
      {warning}
      <section className={classes.hero} aria-label="Featured">
        <Typography variant="overline" className={classes.overline}>
          Featured {kindLabel(entity).toLocaleLowerCase('en-US')}
        </Typography>
        <h2 className={classes.title}>{entity.title}</h2>
        {entity.description && (
          <Typography variant="body1" className={classes.text}>
            {entity.description}
          </Typography>
        )}
        {entity.purpose && (
          <Typography variant="body2" className={classes.text}>
            {entity.purpose}
          </Typography>
        )}
        <div className={classes.badges}>
          <BrowseBadges entity={entity} />
        </div>
        {entity.owner && (
          <Typography variant="body2">
            Owned by{' '}
            <EntityRefLink
              entityRef={entity.owner}
              defaultKind="group"
              className={classes.owner}
              hideIcon
              disableTooltip
            />
          </Typography>
        )}
        <div className={classes.actions}>
          <LinkButton
            to={path}
            variant="contained"
            className={classes.primary}
            aria-label={`Open ${entity.title}`}
          >
            Open
          </LinkButton>
          {entity.hasDemo && (
            // The demo runs from the service's page until the demo card lands.
            <LinkButton
              to={path}
              variant="outlined"
              className={classes.secondary}
              aria-label={`Try the demo of ${entity.title}`}
            >
              Try demo
            </LinkButton>
          )}
        </div>
      </section>
    </>
  );
};
