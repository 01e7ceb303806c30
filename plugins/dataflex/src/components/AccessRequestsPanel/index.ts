export { DatasetAccessPanel } from './DatasetAccessPanel';
