export {
  AccessRequestsPage,
  AccessRequestsPageContent,
} from './AccessRequestsPage';
export { AccessRequestsSidebarItem } from './AccessRequestsSidebarItem';
