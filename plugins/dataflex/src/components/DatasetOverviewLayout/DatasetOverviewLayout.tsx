import { useMemo } from 'react';
import { createStyles, makeStyles, Theme } from '@material-ui/core/styles';
import {
  EntityOrphanWarning,
  EntityProcessingErrorsPanel,
  EntityRelationWarning,
  EntitySwitch,
  hasCatalogProcessingErrors,
  isOrphan,
} from '@backstage/plugin-catalog';
import { EntityProvider, useEntity } from '@backstage/plugin-catalog-react';
import { EntityContentLayoutProps } from '@backstage/plugin-catalog-react/alpha';
import { RELATION_SHARED_WITH } from '@dataflex/backstage-plugin-dataflex-common';

const useStyles = makeStyles((theme: Theme) =>
  createStyles({
    warningArea: {
      display: 'flex',
      flexDirection: 'column',
      gap: theme.spacing(2),
      marginBottom: theme.spacing(3),
      '&:empty': { display: 'none' },
    },
    root: {
      display: 'flex',
      flexFlow: 'column nowrap',
      gap: theme.spacing(3),
    },
    column: {
      display: 'flex',
      flexFlow: 'column nowrap',
      alignItems: 'stretch',
      gap: theme.spacing(3),
      minWidth: 0,
    },
    [theme.breakpoints.up('md')]: {
      root: {
        display: 'grid',
        gridTemplateColumns: '1fr',
        gridTemplateAreas: '"content info"',
        alignItems: 'start',
      },
      withInfo: { gridTemplateColumns: '2fr 1fr' },
      contentColumn: { gridArea: 'content' },
      infoColumn: {
        gridArea: 'info',
        position: 'sticky',
        top: theme.spacing(3),
      },
    },
    withInfo: {},
    contentColumn: {},
    infoColumn: {},
  }),
);

/**
 * The overview of a Dataset entity: the catalog's default layout (warnings,
 * content cards, info cards beside them), except that its warning about
 * relations to entities missing from the catalog leaves out `sharedWith`.
 * Those relations point at the opaque keys of grant holders, which are no
 * entities by design, and listing them would only puzzle owners and grant
 * holders.
 */
export function DatasetOverviewLayout(props: EntityContentLayoutProps) {
  const { entity } = useEntity();
  const infoCards = props.cards.filter(card => card.type === 'info');
  const contentCards = props.cards.filter(card => card.type !== 'info');
  const classes = useStyles();
  const withoutGranteeKeys = useMemo(
    () => ({
      ...entity,
      relations: entity.relations?.filter(
        relation => relation.type !== RELATION_SHARED_WITH,
      ),
    }),
    [entity],
  );

  return (
    <>
      <div className={classes.warningArea}>
        <EntitySwitch>
          <EntitySwitch.Case if={isOrphan}>
            <EntityOrphanWarning />
          </EntitySwitch.Case>
        </EntitySwitch>
        <EntityProvider entity={withoutGranteeKeys}>
          <EntityRelationWarning />
        </EntityProvider>
        <EntitySwitch>
          <EntitySwitch.Case if={hasCatalogProcessingErrors}>
            <EntityProcessingErrorsPanel />
          </EntitySwitch.Case>
        </EntitySwitch>
      </div>
      <div
        className={`${classes.root} ${
          infoCards.length > 0 ? classes.withInfo : ''
        }`}
      >
        {contentCards.length > 0 && (
          <div className={`${classes.column} ${classes.contentColumn}`}>
            {contentCards.map((card, index) => (
              <div key={card.element.key ?? index}>{card.element}</div>
            ))}
          </div>
        )}
        {infoCards.length > 0 && (
          <div className={`${classes.column} ${classes.infoColumn}`}>
            {infoCards.map((card, index) => (
              <div key={card.element.key ?? index}>{card.element}</div>
            ))}
          </div>
        )}
      </div>
    </>
  );
}
