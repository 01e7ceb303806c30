/**
 * The DataFlex backend plugin.
 *
 * @packageDocumentation
 */

export { dataflexPlugin as default } from './plugin';
