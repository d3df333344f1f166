export * from './event-source-mapping';
export * from './shard-poller';
export * from './kinesis-event';
export * from './on-failure';
export * from './batch-outcome';
export * from './arrivals';
