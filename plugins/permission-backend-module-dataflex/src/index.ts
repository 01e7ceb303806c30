/**
 * DataFlex's permission policy module for the Backstage permission backend.
 *
 * @packageDocumentation
 */

export { permissionModuleDataflex as default } from './module';
