export * from './sensitive';
export * from './item-kinds';
export * from './customer-store';
export * from './customer-ref';
export * from './access';
export * from './erase';
export * from './export-sink';
