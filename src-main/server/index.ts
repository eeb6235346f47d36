/**
 * `hitmic serve`: the same UI in a browser. HTTP serves the built renderer, a WebSocket carries
 * the HitmicApi and the backend's events, POST /api/upload takes dropped files.
 */
export { isLoopbackHost } from './auth';
export { startServer, type RunningServer, type ServeOptions } from './server';
