export * from './encode';
export * from './producer';
