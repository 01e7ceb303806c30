export { EntityDemoCard } from './EntityDemoCard';
export { hasDemo } from './hasDemo';
