export {
  AccessExplorerPage,
  AccessExplorerPageContent,
} from './AccessExplorerPage';
