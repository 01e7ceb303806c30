export {
  datasetRefParts,
  describeGrantScope,
  describeRequestScope,
  formatDateTime,
  grantCovers,
} from './accessFormat';
export { AccessStatus } from './AccessStatus';
export { ReasonDialog } from './ReasonDialog';
export { useAccessSignal } from './useAccessSignal';
export { useCursorList } from './useCursorList';
export type { CursorList } from './useCursorList';
export { ListFooter } from './ListFooter';
export { DownloadCookie } from './DownloadCookie';
export { useTableStyles } from './useTableStyles';
export { AccessRequestTable } from './AccessRequestTable';
export {
  actionsColumn,
  askedForColumn,
  datasetColumn,
  RequestDecision,
  requestedColumn,
} from './accessRequestColumns';
export type { AccessRequestColumn } from './accessRequestColumns';
