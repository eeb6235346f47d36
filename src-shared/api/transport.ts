import type { HitmicEventName, HitmicEvents } from './contract';

/**
 * What a shell must provide for the renderer: `invoke` and `subscribe` (VS Code's
 * `call`/`listen`), and `cancel` for calls made with a call id. Errors reject with an
 * ApiErrorPayload-shaped object. Only plain values cross (Electron's context bridge cannot carry
 * an AbortSignal), so cancellation is a call id the client picks and a `cancel(callId)`.
 */
export interface HitmicTransport {
  invoke(domain: string, method: string, args: unknown[], callId?: number): Promise<unknown>;
  /** Asks the backend to stop the call made with `callId`; it then rejects with CANCELLED. */
  cancel?(callId: number): void;
  subscribe<E extends HitmicEventName>(event: E, handler: (payload: HitmicEvents[E]) => void): () => void;
}

/**
 * `window.hitmic`, exposed by the Electron preload or by the browser client of `hitmic serve`.
 * File paths of dropped files are known only in Electron; the browser uploads their bytes instead.
 */
export interface HitmicBridge extends HitmicTransport {
  shell: 'electron' | 'serve';
  /** Electron: the real path of a dropped File (webUtils.getPathForFile). */
  pathForFile?(file: File): string;
  /** Browser: uploads a dropped File to the backend and returns the path it was stored at. */
  uploadFile?(file: File): Promise<string>;
  /** Native open/save dialogs where the shell has them (Electron). */
  showOpenDialog?(options: {
    title?: string;
    filters?: { name: string; extensions: string[] }[];
    directory?: boolean;
  }): Promise<string | null>;
  showSaveDialog?(options: { title?: string; defaultPath?: string }): Promise<string | null>;
  /** Desktop app: opens a folder in the system's file manager. */
  openFolder?(path: string): Promise<void>;
}
