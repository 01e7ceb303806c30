export { DatasetOverviewLayout } from './DatasetOverviewLayout';
