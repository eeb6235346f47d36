export * from './contract';
export * from './errors';
export * from './types';
export * from './transport';
export { createHitmicClient } from './client';
export { encodeMessage, decodeMessage } from './wire';
