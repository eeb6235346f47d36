/**
 * The one backend behind the three shells: every HitmicApi domain bound to the modules that do
 * the work (collections, config, movies, previews, runs, results, QC, resources, the demo), rejecting with
 * ApiErrors only, plus its event bus. Shells bind it to IPC, a WebSocket or nothing (the CLI calls
 * the domain modules itself); `dispatch` is the one door from the wire.
 */
export { createBackend, type Backend, type BackendOptions } from './backend';
export { BackendEvents } from './events';
export { dispatch } from './router';
