import { create } from 'zustand';
import type { AppInfo } from '../../src-shared/api';
import { api, watchConnection, type ConnectionStatus } from '../app/api';
import { useErrors } from './errors';

export type { ConnectionStatus };

interface ConnectionState {
  status: ConnectionStatus;
  info: AppInfo | undefined;
  setStatus(status: ConnectionStatus): void;
  setInfo(info: AppInfo): void;
  /** Connects to the backend (once, at start-up) and follows the connection's status. */
  connect(): void;
  /** Asks the backend what it is (shown in the status bar and About). */
  loadInfo(): Promise<void>;
}

let following = false;

/** Whether the backend answers, and what it says about itself (shown in the status bar). */
export const useConnection = create<ConnectionState>((set, get) => ({
  status: 'connecting',
  info: undefined,
  setStatus: (status) => set({ status }),
  setInfo: (info) => set({ info }),
  connect: () => {
    if (following) return;
    following = true;
    watchConnection(get().setStatus);
    api();
  },
  loadInfo: () =>
    api()
      .app.info()
      .then(get().setInfo, (e: unknown) => useErrors.getState().show('The backend did not answer', e)),
}));
