export { BrowseRow } from './BrowseRow';
export type { BrowseRowProps } from './BrowseRow';
