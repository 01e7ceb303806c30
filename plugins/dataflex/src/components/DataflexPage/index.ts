export { DataflexPage, DataflexPageContent } from './DataflexPage';
