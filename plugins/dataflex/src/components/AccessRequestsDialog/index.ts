export { AccessRequestDialog } from './AccessRequestDialog';
export { RequestAccessButton } from './RequestAccessButton';
