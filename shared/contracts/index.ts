export * from './signal';
export * from './enriched';
export * from './events';
export * from './validate';
export * from './parse-record';
