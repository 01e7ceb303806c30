export { BrowsePage, BrowsePageContent } from './BrowsePage';
