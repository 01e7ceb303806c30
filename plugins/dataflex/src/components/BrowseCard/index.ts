export { BrowseCard } from './BrowseCard';
export type { BrowseCardProps } from './BrowseCard';
export { toBrowseEntity, kindLabel } from './browseEntity';
export type { BrowseEntity } from './browseEntity';
export { BrowseBadges } from './BrowseBadges';
export { BrowseKindIcon } from './BrowseKindIcon';
