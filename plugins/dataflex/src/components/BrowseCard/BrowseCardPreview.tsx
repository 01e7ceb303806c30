import { LinkButton } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef, EntityRefLink } from '@backstage/plugin-catalog-react';
import type { DatasetColumn } from '@dataflex/backstage-plugin-dataflex-common';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import useAsync from 'react-use/esm/useAsync';
import { BrowseBadges } from './BrowseBadges';
import { BrowseEntity, kindLabel } from './browseEntity';

/** Columns listed in a preview; the rest are counted. */
const PREVIEW_COLUMNS = 6;

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    padding: theme.spacing(2),
  },
  meta: {
    color: theme.palette.text.secondary,
  },
  columns: {
    margin: 0,
    padding: 0,
    listStyle: 'none',
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) auto',
    columnGap: theme.spacing(1),
    rowGap: theme.spacing(0.25),
    fontSize: theme.typography.body2.fontSize,
  },
  column: {
    display: 'contents',
  },
  columnName: {
    fontFamily: 'monospace',
    // Room below the baseline, or the ellipsis box clips underscores.
    lineHeight: 1.5,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  columnType: {
    color: theme.palette.text.secondary,
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
  pii: {
    height: 18,
    fontSize: '0.7rem',
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
}));

const DatasetSchema = (props: { entityRef: string }) => {
  const classes = useStyles();
  const catalogApi = useApi(catalogApiRef);
  // Fetched when the preview opens, so rows never carry whole schemas.
  const { value, loading, error } = useAsync(async () => {
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs: [props.entityRef],
      fields: ['spec.schema'],
    });
    const schema = items[0]?.spec?.schema as
      | { columns?: DatasetColumn[] }
      | undefined;
    return schema?.columns ?? [];
  }, [catalogApi, props.entityRef]);

  if (loading) {
    return (
      <Typography variant="body2" className={classes.meta}>
        Loading schema…
      </Typography>
    );
  }
  if (error) {
    return (
      <Typography variant="body2" color="error">
        Could not load the schema: {error.message}
      </Typography>
    );
  }
  if (!value?.length) {
    return (
      <Typography variant="body2" className={classes.meta}>
        No schema declared.
      </Typography>
    );
  }
  const rest = value.length - PREVIEW_COLUMNS;
  return (
    <div>
      <Typography variant="subtitle2" component="p">
        Schema
      </Typography>
      <ul className={classes.columns} aria-label="Schema">
        {value.slice(0, PREVIEW_COLUMNS).map(column => (
          <li key={column.name} className={classes.column}>
            <span className={classes.columnName}>{column.name}</span>
            <span className={classes.columnType}>
              {column.type}
              {column.pii && (
                <Chip
                  className={classes.pii}
                  size="small"
                  color="secondary"
                  label="PII"
                  title="Personal data"
                />
              )}
            </span>
          </li>
        ))}
      </ul>
      {rest > 0 && (
        <Typography variant="caption" className={classes.meta}>
          and {rest} more {rest === 1 ? 'column' : 'columns'}
        </Typography>
      )}
    </div>
  );
};

/** The detail preview a card opens on hover or keyboard focus. */
export const BrowseCardPreview = (props: {
  entity: BrowseEntity;
  entityPath: string;
}) => {
  const { entity, entityPath } = props;
  const classes = useStyles();
  return (
    <div className={classes.root}>
      <div>
        <Typography variant="h6" component="p">
          {entity.title}
        </Typography>
        <Typography variant="caption" className={classes.meta}>
          {kindLabel(entity)}
        </Typography>
      </div>
      <BrowseBadges entity={entity} />
      {entity.description && (
        <Typography variant="body2">{entity.description}</Typography>
      )}
      {entity.purpose && (
        <div>
          <Typography variant="subtitle2" component="p">
            Purpose
          </Typography>
          <Typography variant="body2">{entity.purpose}</Typography>
        </div>
      )}
      {entity.isDataset && <DatasetSchema entityRef={entity.ref} />}
      {entity.owner && (
        <Typography variant="body2">
          Owner:{' '}
          <EntityRefLink
            entityRef={entity.owner}
            defaultKind="group"
            disableTooltip
          />
        </Typography>
      )}
      <div className={classes.actions}>
        <LinkButton
          to={entityPath}
          variant="contained"
          color="primary"
          size="small"
          aria-label={`Open ${entity.title}`}
        >
          Open
        </LinkButton>
        {entity.hasDemo && (
          // The demo runs from the service's page until the demo card lands.
          <LinkButton
            to={entityPath}
            variant="outlined"
            size="small"
            aria-label={`Try the demo of ${entity.title}`}
          >
            Try demo
          </LinkButton>
        )}
        {entity.isDataset && entity.visibility !== 'open' && (
          // Access is requested from the dataset's page.
          <LinkButton
            to={entityPath}
            variant="outlined"
            size="small"
            aria-label={`Request access to ${entity.title}`}
          >
            Request access
          </LinkButton>
        )}
      </div>
    </div>
  );
};
