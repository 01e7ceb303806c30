export { EntityOwnerProfileCard } from './EntityOwnerProfileCard';
