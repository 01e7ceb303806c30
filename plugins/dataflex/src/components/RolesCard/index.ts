export { RolesCard } from './RolesCard';
