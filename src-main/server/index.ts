/**
 * `hitmic serve`: the same UI in a browser. HTTP serves the built renderer, a WebSocket carries
 * the HitmicApi and the backend's events, POST /api/upload takes dropped files. Only whoever holds
 * the printed token, from this server's own pages or a non-browser client, gets any answer.
 */
export { isLoopbackHost, isWildcardHost, normaliseHostName } from './hosts';
export { DEFAULT_UPLOAD_LIMITS, sweepStaleUploads, UPLOAD_FOLDER_PREFIX, type UploadLimits } from './uploads';
export { startServer, type RunningServer, type ServeOptions } from './server';
