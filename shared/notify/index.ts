export * from './channel';
export * from './render';
export * from './webhook-channel';
export * from './notify-store';
export * from './in-memory-notify-store';
export * from './decide';
