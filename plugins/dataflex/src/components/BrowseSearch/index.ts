export { BrowseSearch, SEARCH_DEBOUNCE_MS } from './BrowseSearch';
export type { BrowseSearchProps } from './BrowseSearch';
export { BrowseResults } from './BrowseResults';
export { BrowseFilterField } from './BrowseFilterField';
export type { BrowseFilterFieldProps } from './BrowseFilterField';
export { useBrowseFilters } from './useBrowseFilters';
export type { SetBrowseFiltersOptions } from './useBrowseFilters';
