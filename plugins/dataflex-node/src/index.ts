/**
 * Extension points and interfaces for backend modules that extend DataFlex.
 *
 * @packageDocumentation
 */

export * from './BlobStore';
export * from './DataflexEventSink';
export * from './DemoRunner';
export * from './extensions';
export * from './permissions';
export * from './sharing';
