/**
 * Types, permissions and event topics shared by the DataFlex plugins.
 *
 * @packageDocumentation
 */

export * from './types';
export * from './client';
export * from './permissions';
export * from './events';
export * from './annotations';
export * from './entity';
export * from './demo';
export * from './profile';
export * from './accessRequests';
