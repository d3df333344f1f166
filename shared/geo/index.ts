export * from './geohash';
export * from './distance';
export * from './nearest';
export * from './opening-hours';
