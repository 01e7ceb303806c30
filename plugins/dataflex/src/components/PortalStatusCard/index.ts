export { PortalStatusCard } from './PortalStatusCard';
