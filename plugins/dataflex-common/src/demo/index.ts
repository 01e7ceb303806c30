export * from './DemoPipeline';
