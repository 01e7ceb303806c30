import ExtensionIcon from '@material-ui/icons/Extension';
import LibraryBooksIcon from '@material-ui/icons/LibraryBooks';
import MemoryIcon from '@material-ui/icons/Memory';
import TableChartIcon from '@material-ui/icons/TableChart';
import WebIcon from '@material-ui/icons/Web';
import type { BrowseEntity } from './browseEntity';

const componentIcons: Record<string, typeof MemoryIcon> = {
  service: MemoryIcon,
  website: WebIcon,
  library: LibraryBooksIcon,
};

/** The kind (and for components, type) of an entity as an icon. */
export const BrowseKindIcon = (props: {
  entity: BrowseEntity;
  className?: string;
}) => {
  const { entity, className } = props;
  const Icon = entity.isDataset
    ? TableChartIcon
    : componentIcons[entity.type ?? ''] ?? ExtensionIcon;
  // Decorative: the kind is also written next to it.
  return <Icon className={className} fontSize="small" aria-hidden />;
};
