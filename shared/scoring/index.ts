export * from './state';
export * from './decay';
export * from './compile';
export * from './evidence';
export * from './moment';
export * from './score-customer';
export * from './group';
