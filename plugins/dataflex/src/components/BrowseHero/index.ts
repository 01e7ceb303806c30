export { BrowseHero } from './BrowseHero';
