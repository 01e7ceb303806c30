export { dataflexPlugin as default } from './plugin';
