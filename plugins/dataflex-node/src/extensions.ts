import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { BlobStore } from './BlobStore';
import { DataflexEventSink } from './DataflexEventSink';
import { DemoRunner } from './DemoRunner';

/**
 * Lets a backend module replace the blob store that the DataFlex backend
 * would otherwise build from `dataflex.storage` config.
 *
 * @public
 */
export interface DataflexStorageExtensionPoint {
  setBlobStore(store: BlobStore): void;
}

/** @public */
export const dataflexStorageExtensionPoint =
  createExtensionPoint<DataflexStorageExtensionPoint>({
    id: 'dataflex.storage',
  });

/**
 * Lets a backend module add demo runners next to the built-in declarative
 * pipeline and HTTP runners. Added runners are tried first.
 *
 * @public
 */
export interface DataflexDemoRunnersExtensionPoint {
  addDemoRunner(runner: DemoRunner): void;
}

/** @public */
export const dataflexDemoRunnersExtensionPoint =
  createExtensionPoint<DataflexDemoRunnersExtensionPoint>({
    id: 'dataflex.demo-runners',
  });

/**
 * Lets a backend module deliver DataFlex's events somewhere besides
 * Backstage's events service (Kafka, for instance) with the same guarantee:
 * from the transactional outbox, in order per subject, at least once.
 *
 * @public
 */
export interface DataflexEventSinksExtensionPoint {
  addEventSink(sink: DataflexEventSink): void;
}

/** @public */
export const dataflexEventSinksExtensionPoint =
  createExtensionPoint<DataflexEventSinksExtensionPoint>({
    id: 'dataflex.event-sinks',
  });
