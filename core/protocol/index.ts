export * from './fqme.js';
export * from './decimal.js';
export * from './types.js';
export * from './messages.js';
export * from './validate.js';
export * from './frames.js';
export * from './client.js';
