import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import HistoryIcon from '@material-ui/icons/History';
import LockIcon from '@material-ui/icons/Lock';
import LockOpenIcon from '@material-ui/icons/LockOpen';
import PlayCircleOutlineIcon from '@material-ui/icons/PlayCircleOutline';
import PublicIcon from '@material-ui/icons/Public';
import type { Visibility } from '../BrowseQuery/browseFilters';
import type { BrowseEntity } from './browseEntity';

const useStyles = makeStyles(theme => ({
  badges: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
  },
}));

const visibilityIcons: Record<Visibility, JSX.Element> = {
  private: <LockIcon />,
  public: <PublicIcon />,
  open: <LockOpenIcon />,
};

const visibilityTitles: Record<Visibility, string> = {
  private: 'Private: owners and people with a grant',
  public: 'Public: anyone can see it and request access',
  open: 'Open: anyone signed in can read the data',
};

/**
 * A dataset's visibility, format and version count, or a service's demo and
 * showcase badges.
 */
export const BrowseBadges = (props: { entity: BrowseEntity }) => {
  const { entity } = props;
  const classes = useStyles();
  return (
    <div className={classes.badges}>
      {entity.visibility && (
        <Chip
          size="small"
          variant="outlined"
          icon={visibilityIcons[entity.visibility]}
          label={
            entity.visibility.charAt(0).toLocaleUpperCase('en-US') +
            entity.visibility.slice(1)
          }
          title={visibilityTitles[entity.visibility]}
        />
      )}
      {entity.format && (
        <Chip size="small" variant="outlined" label={entity.format} />
      )}
      {entity.latestVersion !== undefined && (
        <Chip
          size="small"
          variant="outlined"
          icon={<HistoryIcon />}
          label={`${entity.latestVersion} ${
            entity.latestVersion === 1 ? 'version' : 'versions'
          }`}
          title="Versions uploaded to DataFlex"
        />
      )}
      {entity.hasDemo && (
        <Chip
          size="small"
          color="primary"
          icon={<PlayCircleOutlineIcon />}
          label="Demo"
          title="Can be tried on sample rows"
        />
      )}
      {entity.isPublic && (
        <Chip
          size="small"
          variant="outlined"
          icon={<PublicIcon />}
          label="Public"
          title="In the public showcase"
        />
      )}
    </div>
  );
};
