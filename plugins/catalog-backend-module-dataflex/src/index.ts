/**
 * The dataflex backend module for the catalog plugin.
 *
 * @packageDocumentation
 */

export { catalogModuleDataflex as default } from './module';
