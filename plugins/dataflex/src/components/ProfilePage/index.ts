export { ProfilePage, ProfilePageContent } from './ProfilePage';
