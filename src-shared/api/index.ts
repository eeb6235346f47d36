export * from './contract';
export * from './errors';
export * from './types';
export * from './domains/previews';
export * from './domains/results-qc';
export * from './transport';
export { createHitmicClient } from './client';
export { encodeMessage, decodeMessage } from './wire';
