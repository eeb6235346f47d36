/**
 * The HitmicApi contract: one typed interface per domain, the one error shape (code, message,
 * details), cancellation tokens on long calls, the events the backend pushes, and the generic
 * client every shell's bridge turns into the API (transport: invoke, cancel, subscribe; the binary
 * wire codec of `hitmic serve`). The renderer sees nothing else of the backend.
 */
export * from './contract';
export * from './errors';
export * from './types';
export * from './domains/cluster-jobs';
export * from './domains/previews';
export * from './domains/results-qc';
export * from './domains/test-mode';
export * from './domains/first-run';
export * from './transport';
export { createHitmicClient } from './client';
export { encodeMessage, decodeMessage } from './wire';
