export * from './pipeline';
export * from './validate';
export * from './pseudonymise';
export * from './features';
export * from './consent';
export * from './context';
export * from './consumer-initiated';
