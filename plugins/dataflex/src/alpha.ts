export { default } from './alpha/plugin';
