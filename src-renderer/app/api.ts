import { createHitmicClient } from '../../src-shared/api';
import type { HitmicApi } from '../../src-shared/api';
import type { HitmicBridge } from '../../src-shared/api';
import { createWebSocketBridge } from '../bridge/ws-bridge';
import { useConnection } from '../stores/connection';

declare global {
  interface Window {
    hitmic?: HitmicBridge;
  }
}

/**
 * The bridge to the backend: Electron's preload puts one on window.hitmic; in a browser we
 * make one over the WebSocket of `hitmic serve`. Either way the views only see HitmicApi.
 */
function resolveBridge(): HitmicBridge {
  if (window.hitmic) {
    useConnection.getState().setStatus('connected');
    return window.hitmic;
  }
  const bridge = createWebSocketBridge((s) => useConnection.getState().setStatus(s));
  window.hitmic = bridge;
  return bridge;
}

export const bridge: HitmicBridge = resolveBridge();
export const api: HitmicApi = createHitmicClient(bridge);
