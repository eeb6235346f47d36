import { createHitmicClient } from '../../src-shared/api';
import type { HitmicApi } from '../../src-shared/api';
import type { HitmicBridge } from '../../src-shared/api';
import { createWebSocketBridge } from '../bridge/ws-bridge';

declare global {
  interface Window {
    hitmic?: HitmicBridge;
  }
}

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected';

/*
 * Only the stores and the small modules beside this one (shell, menu, drop) use the backend;
 * views reach it through store actions. A lint rule keeps views and components from importing
 * this file.
 */

let status: ConnectionStatus = 'connecting';
const statusListeners = new Set<(s: ConnectionStatus) => void>();

function report(s: ConnectionStatus): void {
  status = s;
  for (const listener of statusListeners) listener(s);
}

/** Calls `listener` with the connection status now and on every change; returns the unsubscribe. */
export function watchConnection(listener: (s: ConnectionStatus) => void): () => void {
  statusListeners.add(listener);
  listener(status);
  return () => statusListeners.delete(listener);
}

/**
 * The bridge to the backend: Electron's preload puts one on window.hitmic; in a browser we
 * make one over the WebSocket of `hitmic serve`. Either way the stores only see HitmicApi.
 */
function resolveBridge(): HitmicBridge {
  if (window.hitmic) {
    report('connected');
    return window.hitmic;
  }
  const made = createWebSocketBridge(report);
  window.hitmic = made;
  return made;
}

let backend: { bridge: HitmicBridge; api: HitmicApi } | undefined;

// Made on first use rather than on import, so that stores import (and unit-test) without a window.
function connected(): { bridge: HitmicBridge; api: HitmicApi } {
  if (!backend) {
    const b = resolveBridge();
    backend = { bridge: b, api: createHitmicClient(b) };
  }
  return backend;
}

/** The typed backend API (connects on first use). */
export function api(): HitmicApi {
  return connected().api;
}

/** The shell's bridge: events, and what only some shells offer (dialogs, file paths, uploads). */
export function bridge(): HitmicBridge {
  return connected().bridge;
}
